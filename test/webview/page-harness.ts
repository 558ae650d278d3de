/**
 * Loads a built webview page (dist/webview/<entry>.js with its stylesheet and codicons) in headless
 * Chromium under the same Content Security Policy the extension sets, with `acquireVsCodeApi` standing
 * in for the editor: messages the page posts are collected, messages to the page are posted to it.
 * The extension-host suite checks the page inside real VS Code; this checks the page's behaviour fast.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../integration/host/browser';
import { REPO } from '../support/engine';

export interface WebviewPage {
  page: Page;
  /** Messages the page has posted to its host so far. */
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
  /** Posts a message to the page, as the host does. */
  send(message: unknown): Promise<void>;
  /** Content Security Policy violations and uncaught errors the page reported. */
  problems: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };

export async function openWebview(entry: string, style: string): Promise<WebviewPage> {
  const nonce = crypto.randomBytes(16).toString('base64');
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(nonce, origin(), entry, style));
      return;
    }
    const file = path.join(REPO, path.normalize(url.pathname));
    const allowed = [path.join(REPO, 'dist', 'webview'), path.join(REPO, 'media')].some((dir) => file.startsWith(dir + path.sep));
    if (!allowed || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(origin());
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    problems,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function pageHtml(nonce: string, origin: string, entry: string, style: string): string {
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${origin}`, `font-src ${origin}`, `img-src ${origin} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/dist/webview/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="/media/${style}">
</head><body>
<main id="root" aria-busy="true"></main>
<script nonce="${nonce}">
  window.__posted = [];
  document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
  let state;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => state, setState: (s) => { state = s; } });
</script>
<script nonce="${nonce}" src="/dist/webview/${entry}.js"></script>
</body></html>`;
}
