import pino, { DestinationStream, Logger } from 'pino';

/**
 * Structured JSON logs. Request lines carry method, path, status and timing only; the redaction
 * list is a second line of defence for anything secret that reaches a log call by mistake.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'family-album-api' },
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization', 'headers', '*.headers', 'policy', '*.policy', 'signature', '*.signature', 'securityToken', '*.securityToken', 'accessKeySecret', '*.accessKeySecret'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
