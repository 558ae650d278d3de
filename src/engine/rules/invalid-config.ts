import type { RuleMeta } from './rule';

/** Reported on pyproject.toml by the project-config reader (src/engine/project-config), not by a check of its own. */
export const invalidConfig: RuleMeta = {
  code: 'invalid-config',
  drawback: 'configuration',
  defaultSeverity: 'warning',
  title: 'The [tool.dl-doctor] configuration has an entry DL Doctor cannot use',
  explanation: `
DL Doctor reads its project configuration from the \`[tool.dl-doctor]\` table of the nearest
\`pyproject.toml\` above each file. An entry it cannot use — an unknown key, a rule name that does not
exist, a severity other than \`error\`, \`warning\`, \`info\`, \`hint\` or \`off\`, a threshold that is not a
number — is left out and reported on its line, and the rest of the configuration still applies. A
file that is not valid TOML cannot be read at all (an error): DL Doctor then uses its defaults.
These findings are shown even when \`select\` leaves the rule out; \`ignore\` or a severity of \`off\` hides them.

\`\`\`toml
[tool.dl-doctor]
ignore = ["cudnn-benchmark-nondeterministic"]   # never run these rules
# select = ["unset-seed", "seed-unused"]        # or: run only these
exclude = ["data/**", "legacy/*.py"]            # globs relative to this pyproject.toml

[tool.dl-doctor.severity]
unset-seed = "error"                      # error, warning, info, hint, or off
seed-unused = "off"

[tool.dl-doctor.thresholds]
high-param-count.min-parameters = 50_000_000
exploding-weights.max-abs = 500
\`\`\`

## How to fix
Correct the entry the diagnostic names; the message lists the valid choices. \`dl-doctor rules\` lists
every rule.
`,
};
