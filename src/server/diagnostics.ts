import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine/finding';
import { DIAGNOSTIC_SOURCE, ruleDocUri } from '../protocol/requests';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Data the server attaches to each diagnostic so code actions and the sidebar can find the finding. */
export interface DiagnosticData {
  drawback: Finding['drawback'];
}

export function toDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = { drawback: finding.drawback };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: ruleDocUri(finding.rule) },
    message: finding.message,
    data,
  };
}
