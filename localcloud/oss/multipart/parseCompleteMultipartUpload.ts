import type { ListedPart } from './multipartRules';
import { malformedXml } from './multipartErrors';

interface Element {
  name: string;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>' };

function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = ENTITIES[ref];
    if (named === undefined) throw malformedXml(`Unknown entity ${whole}.`);
    return named;
  });
}

/**
 * A strict reader for the small XML documents clients send (elements, attributes ignored, text,
 * the five entities and character references; no DTD, no CDATA, no mixed content), so a body is
 * either read exactly or refused as MalformedXML.
 */
function parseXmlDocument(xml: string): Element {
  const body = xml.replace(/^\uFEFF?\s*(<\?xml[^?]*\?>)?/, '').replace(/<!--[\s\S]*?-->/g, '');
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const root: Element = { name: '', children: [], text: '' };
  const stack: Element[] = [root];
  let match: RegExpExecArray | null;
  while ((match = token.exec(body)) !== null) {
    const [, closing, name, , selfClosing, text, stray] = match;
    const top = stack[stack.length - 1];
    if (stray !== undefined) throw malformedXml('Unexpected "<".');
    if (text !== undefined) {
      top.text += decodeText(text);
      continue;
    }
    if (closing) {
      if (stack.length === 1 || top.name !== name) throw malformedXml(`Unexpected </${name}>.`);
      stack.pop();
      continue;
    }
    const element: Element = { name, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw malformedXml(`<${stack[stack.length - 1].name}> is not closed.`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw malformedXml('Expected one root element.');
  return root.children[0];
}

function only(parent: Element, name: string): Element {
  const found = parent.children.filter((c) => c.name === name);
  if (found.length !== 1) throw malformedXml(`<${parent.name}> needs exactly one <${name}>.`);
  return found[0];
}

/**
 * The part list of a CompleteMultipartUpload body
 * (https://help.aliyun.com/en/oss/developer-reference/completemultipartupload):
 * `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…`, in the
 * order sent (the order itself is a rule checked later, InvalidPartOrder).
 */
export function parseCompleteMultipartUpload(xml: string): ListedPart[] {
  const root = parseXmlDocument(xml);
  if (root.name !== 'CompleteMultipartUpload') throw malformedXml('The root element must be <CompleteMultipartUpload>.');
  return root.children.map((part) => {
    if (part.name !== 'Part') throw malformedXml(`Unexpected <${part.name}> in <CompleteMultipartUpload>.`);
    const unexpected = part.children.find((c) => c.name !== 'PartNumber' && c.name !== 'ETag');
    if (unexpected) throw malformedXml(`Unexpected <${unexpected.name}> in <Part>.`);
    const number = only(part, 'PartNumber').text.trim();
    // The range is a part rule (InvalidPart), checked with the others; here only the form.
    if (!/^\d{1,9}$/.test(number)) throw malformedXml(`PartNumber "${number}" is not an integer.`);
    return { partNumber: Number(number), etag: only(part, 'ETag').text.trim() };
  });
}
