import type { Connection } from 'vscode-languageserver';

/** Log lines go to the client's "DL Doctor" output channel; never to stdout (that is the LSP stream). */
export class Logger {
  constructor(private readonly connection: Connection) {}

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }
}
