import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ReportFinding } from '../../src/protocol/model-report';
import { custom, h } from '../shared/dom';

const ICONS: Record<string, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'lightbulb' };

/** The file's findings, most severe first, each with its rule's title and a button to its explanation. */
export function findingsList(findings: readonly ReportFinding[], explain: (rule: string) => void): HTMLElement {
  if (findings.length === 0) return h('p', { class: 'no-findings' }, 'No findings: nothing unsafe, broken or unusually costly was found in this file.');
  const order = ['error', 'warning', 'info', 'hint'];
  const sorted = [...findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  return h(
    'ul',
    { class: 'findings', 'aria-label': 'Findings' },
    ...sorted.map((f) => {
      const button = custom('vscode-button', { secondary: true, title: `Why ${f.rule} matters and how to fix it` }, 'Explain');
      button.addEventListener('click', () => explain(f.rule));
      return h(
        'li',
        { class: `finding severity-${f.severity}` },
        h('span', { class: `codicon codicon-${ICONS[f.severity] ?? 'info'}`, 'aria-label': f.severity, role: 'img' }),
        h('div', { class: 'finding-text' }, h('div', { class: 'finding-title' }, h('code', {}, f.rule), ` · ${f.title}`), h('div', { class: 'finding-message' }, f.message)),
        button,
      );
    }),
  );
}
