import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface ProbeDiagnostic {
  file: string | undefined;
  code: number;
  message: string;
}

/**
 * A checker for snippets typed as if they were `<config dir>/__probe__/probe.ts` under the
 * compiler options of `configPath`. Nothing is written: the probe resolves modules and types
 * exactly as a real source in that folder would, and other compiler runs never see it.
 * Library files are parsed once and shared between probes.
 */
export function createProbeChecker(configPath: string): (sourceText: string) => ProbeDiagnostic[] {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath);
  const options = { ...parsed.options, noEmit: true };
  const probePath = join(dirname(configPath), '__probe__', 'probe.ts');
  const parsedFiles = new Map<string, ts.SourceFile | undefined>();

  return (sourceText) => {
    const host = ts.createCompilerHost(options, true);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (fileName, languageVersion, ...rest) => {
      if (fileName === probePath) return ts.createSourceFile(fileName, sourceText, languageVersion, true);
      if (!parsedFiles.has(fileName)) parsedFiles.set(fileName, getSourceFile.call(host, fileName, languageVersion, ...rest));
      return parsedFiles.get(fileName);
    };
    host.fileExists = (fileName) => fileName === probePath || fileExists.call(host, fileName);
    host.readFile = (fileName) => (fileName === probePath ? sourceText : readFile.call(host, fileName));

    const program = ts.createProgram({ rootNames: [probePath], options, host });
    return ts.getPreEmitDiagnostics(program).map((d) => ({
      file: d.file?.fileName,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  };
}
