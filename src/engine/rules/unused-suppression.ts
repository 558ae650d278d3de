import type { RuleMeta } from './rule';

/**
 * Reported by the engine itself after the other rules ran (src/engine/suppressions), not by a check
 * of its own: only then is it known which suppression comments silenced something.
 */
export const unusedSuppression: RuleMeta = {
  code: 'unused-suppression',
  drawback: 'configuration',
  defaultSeverity: 'info',
  title: 'A suppression comment silences nothing',
  explanation: `
A \`# dl-doctor: ignore[rule]\` comment silences that rule's findings on its line, and
\`# dl-doctor: ignore-file[rule]\` in the comments at the top of a file silences the rule in the whole
file. Once the code is fixed, or the comment is on the wrong line, it silences nothing — but it still
tells readers that something is wrong there, and it would hide a real finding that appears on that
line later. Like ESLint's \`--report-unused-disable-directives\` and Ruff's \`RUF100\`, DL Doctor reports:

- a rule named in a suppression that ran and found nothing on that line (or in that file);
- a name that is not a DL Doctor rule (a typo: the intended rule is not silenced), or a rule that
  checks model files or \`pyproject.toml\`, never Python code;
- a bare \`# dl-doctor: ignore\` without rules in brackets: DL Doctor does not accept blanket
  suppressions, which would hide every future finding on the line;
- an \`ignore-file[...]\` below the first line of code, and directives other than \`ignore\` and \`ignore-file\`.

A rule switched off in the configuration did not run, so a suppression of it is not reported:
teammates may run it with other settings.

## How to fix
Remove the suppression (the quick fix *Remove unused suppression* does it), correct the rule's name,
or move the comment to the end of the line the finding is on. To keep a suppression deliberately,
silence this rule for the file: \`# dl-doctor: ignore-file[unused-suppression]\`.
`,
};
