import * as fs from 'node:fs';
import { effectiveSeverity, hitSeverity, mergeRuleConfig, DEFAULT_LIMITS, type EngineLimits, type RuleConfig } from './config';
import { mayBeForeign, NOT_A_MODEL } from './models/model-files';
import type { ModelSummary } from './models/model-summary';
import { readModel } from './models/read-model';
import { computeWeightStats } from './models/weights/weight-stats';
import type { Finding, Range } from './finding';
import { loadPythonParser, type PythonParser } from './python/parser';
import { loadScriptParser, scriptDialect } from './javascript/parser';
import { LOADER_NAMES, scriptModelReferences } from './javascript/model-references';
import { ScriptFile } from './javascript/script-file';
import type { ModelReference } from './model-paths';
import { modelReferences } from './python/model-references';
import { PythonFile } from './python/python-file';
import { computeScriptFacts } from './python/models/compute-script-facts';
import { setScriptFacts, type ScriptFacts } from './python/models/script-facts';
import type { SourceReader } from './python/module-resolver';
import type { WorkspaceContext } from './python/workspace-context';
import { MODEL_RULES, PYTHON_RULES } from './rules';
import { DiskReader } from './source-files';
import { configFindings } from './project-config/project-configs';
import { parsePyproject } from './project-config/pyproject';
import { applySuppressions } from './suppressions/apply';
import { commentSpacing, ignoreFixes } from './suppressions/ignore-fixes';
import { unusedSuppression } from './rules/unused-suppression';
import { isRunLogCandidate } from './logs/read-run-log';
import type { RunHistory } from './logs/run-history';
import { linkedRuns, RunCache } from './logs/linked-runs';
import { checkRunRules, logFindings, runFinding, runLabel } from './logs/run-findings';
import { runLogLinks } from './python/run-log-links';

export interface EngineOptions {
  /** Folder holding tree-sitter.wasm and the grammars' .wasm files (defaults to next to the bundle). */
  wasmDir?: string;
  limits?: Partial<EngineLimits>;
}

/** The outcome of checking one file. */
export interface FileResult {
  file: string;
  findings: Finding[];
  /** Other files the findings depend on (imported helpers); re-check when one changes. */
  dependencies: string[];
  /** Rules that threw: reported, never allowed to take the other rules down. */
  ruleErrors: { rule: string; message: string }[];
  /** Whether tree-sitter had to recover from syntax errors (findings come from the parts it could parse). */
  syntaxErrors: boolean;
  /** For Python scripts: the models they build, the data they train on, for how long (lenses, CLI facts). */
  facts?: ScriptFacts;
  /** For model files: what the file holds. */
  model?: ModelSummary;
  /** For model files that could not be read: what is wrong, in words a user can act on. */
  modelError?: string;
  /** For training logs: the run they hold. */
  run?: RunHistory;
}

/** A line of a script that writes a training log, and the run it wrote last (for code lenses). */
export interface RunLogReference {
  range: Range;
  /** The log file (or TensorBoard run folder) read. */
  log: string;
  run: string;
}

export interface CheckContext {
  /** Workspace folders; imports resolve against them. */
  roots: readonly string[];
  /** Where other workspace files come from (open editors first, then disk). Defaults to disk. */
  reader?: SourceReader;
  rules?: RuleConfig;
}

/**
 * The analysis engine as a plain library: the language server, the CLI and the tests all call it.
 * It holds the parser and a memo of per-module facts that stays valid while module texts are unchanged.
 */
export class Engine {
  readonly limits: EngineLimits;
  private readonly memo = new Map<string, unknown>();
  private readonly runs = new RunCache();

  private constructor(
    private readonly parser: PythonParser,
    limits: EngineLimits,
    private readonly wasmDir: string | undefined,
  ) {
    this.limits = limits;
  }

  static async create(options: EngineOptions = {}): Promise<Engine> {
    const parser = await loadPythonParser(options.wasmDir);
    return new Engine(parser, { ...DEFAULT_LIMITS, ...options.limits }, options.wasmDir);
  }

  /**
   * Checks Python source text; `file` is the absolute path it belongs to. Asynchronous because some
   * facts a rule needs (data files a script reads) come from disk.
   */
  async checkPython(file: string, text: string, context: CheckContext): Promise<FileResult> {
    const workspace: WorkspaceContext = {
      roots: context.roots,
      reader: context.reader ?? new DiskReader(this.limits.maxFileBytes),
      parser: this.parser,
      memo: this.memo,
    };
    const tree = this.parser.parse(text);
    try {
      const python = new PythonFile(file, text, tree, workspace);
      // Facts several rules share, some read from disk: worked out once, before the (synchronous) rules.
      const facts = await computeScriptFacts(python);
      setScriptFacts(python, facts);
      const findings: Finding[] = [];
      const ruleErrors: FileResult['ruleErrors'] = [];
      for (const rule of PYTHON_RULES) {
        if (!effectiveSeverity(rule.code, rule.defaultSeverity, context.rules)) continue;
        try {
          for (const { severity: own, ...hit } of rule.checkPython(python, context.rules)) {
            const severity = hitSeverity(rule.code, rule.defaultSeverity, own, context.rules)!;
            findings.push({ rule: rule.code, drawback: rule.drawback, severity, file, ...hit });
          }
        } catch (error) {
          ruleErrors.push({ rule: rule.code, message: error instanceof Error ? error.message : String(error) });
        }
      }
      findings.push(...(await this.linkedRunFindings(python, context)));
      const suppressed = suppress(python, findings, context.rules);
      suppressed.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      const hasFacts = facts.models.length > 0 || facts.datasets.length > 0;
      return { file, findings: suppressed, dependencies: [...python.dependencies], ruleErrors, syntaxErrors: tree.rootNode.hasError, ...(hasFacts ? { facts } : {}) };
    } finally {
      tree.delete();
    }
  }

  /**
   * Reads a model file (pickle-based or safetensors) without executing it and runs the model rules on it. Returns
   * undefined for a `.bin` or `.h5` that turns out not to be a model (raw data, an HDF5 data set).
   */
  async checkModelFile(file: string, rules?: RuleConfig): Promise<FileResult | undefined> {
    const read = await readModel(file);
    if (!read.ok && mayBeForeign(file) && read.globals.length === 0 && read.error.startsWith(NOT_A_MODEL)) return undefined;
    const ruleErrors: FileResult['ruleErrors'] = [];
    if (read.ok && MODEL_RULES.some((r) => r.usesWeights && effectiveSeverity(r.code, r.defaultSeverity, rules))) {
      try {
        read.summary.stats = await computeWeightStats(read.summary);
      } catch (error) {
        read.summary.stats = { tensors: {}, partial: true, bytesRead: 0, error: error instanceof Error ? error.message : String(error) };
      }
    }
    const input = read.ok ? { summary: read.summary } : { error: read };
    const findings: Finding[] = [];
    for (const rule of MODEL_RULES) {
      try {
        for (const hit of rule.checkModel(input, rules)) {
          const severity = hitSeverity(rule.code, rule.defaultSeverity, hit.severity, rules);
          if (!severity) continue;
          const { severity: _ignored, ...rest } = hit;
          findings.push({ rule: rule.code, drawback: rule.drawback, severity, file, ...rest });
        }
      } catch (error) {
        ruleErrors.push({ rule: rule.code, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { file, findings, dependencies: [], ruleErrors, syntaxErrors: false, ...(read.ok ? { model: read.summary } : { modelError: read.error }) };
  }

  /**
   * Model files a script loads, for code lenses: Python (`torch.load("x.pt")`, `from_pretrained("./dir")`, …)
   * or JavaScript/TypeScript (`tf.loadLayersModel("file://…")`). Script files get no other check.
   */
  async modelReferences(file: string, text: string, context: CheckContext): Promise<ModelReference[]> {
    const dialect = scriptDialect(file);
    if (dialect) {
      // Most scripts load no model: only parse the ones that name a loader, and none beyond the size limit.
      if (text.length > this.limits.maxFileBytes || !LOADER_NAMES.some((name) => text.includes(name))) return [];
      const tree = (await loadScriptParser(dialect, this.wasmDir)).parse(text);
      try {
        return scriptModelReferences(new ScriptFile(file, text, tree), context.roots);
      } finally {
        tree.delete();
      }
    }
    const tree = this.parser.parse(text);
    try {
      const workspace: WorkspaceContext = { roots: context.roots, reader: context.reader ?? new DiskReader(this.limits.maxFileBytes), parser: this.parser, memo: this.memo };
      return modelReferences(new PythonFile(file, text, tree, workspace));
    } finally {
      tree.delete();
    }
  }

  /**
   * Checks a pyproject.toml's `[tool.dl-doctor]` table: its problems as `invalid-config` findings.
   * Undefined when the file does not configure DL Doctor.
   */
  checkProjectConfig(file: string, text: string, rules?: RuleConfig): FileResult | undefined {
    const config = parsePyproject(file, text);
    if (!config) return undefined;
    return { file, findings: configFindings(config, mergeRuleConfig(config.rules, rules)), dependencies: [], ruleErrors: [], syntaxErrors: false };
  }

  /**
   * Reads a training log (Keras CSVLogger, Lightning metrics.csv, trainer_state.json, …) and runs the
   * run rules on it. Undefined when the file is not a training log DL Doctor reads.
   */
  async checkRunLog(file: string, rules?: RuleConfig, root?: string): Promise<FileResult | undefined> {
    // A TensorBoard run is a folder of event files; anything else must have a log's name.
    if (!isRunLogCandidate(file) && !isFolder(file)) return undefined;
    // Re-read only when the log's size or modification time changed (a cached read is keyed by both).
    const read = await this.runs.read(file, root);
    if (!read.ok) return undefined;
    const { findings, ruleErrors } = logFindings(read.run, rules);
    return { file, findings, dependencies: [], ruleErrors, syntaxErrors: false, run: read.run };
  }

  /** The run a script's logging calls wrote last, and where: for "Show learning curves" lenses. */
  async runLogReferences(file: string, text: string, context: CheckContext): Promise<RunLogReference[]> {
    if (!RUN_LOG_HINTS.some((hint) => text.includes(hint))) return [];
    const tree = this.parser.parse(text);
    try {
      const workspace: WorkspaceContext = { roots: context.roots, reader: context.reader ?? new DiskReader(this.limits.maxFileBytes), parser: this.parser, memo: this.memo };
      const runs = await linkedRuns(runLogLinks(new PythonFile(file, text, tree, workspace)), this.runs, context.roots[0]);
      return runs.map(({ link, file: log, run }) => ({ range: link.anchor, log, run: run.run }));
    } finally {
      tree.delete();
    }
  }

  /** Findings of the runs a script wrote, on its `fit(`/`Trainer(` line; the logs become dependencies. */
  private async linkedRunFindings(python: PythonFile, context: CheckContext): Promise<Finding[]> {
    if (!RUN_LOG_HINTS.some((hint) => python.text.includes(hint))) return [];
    const findings: Finding[] = [];
    for (const { link, file, run } of await linkedRuns(runLogLinks(python), this.runs, context.roots[0])) {
      python.dependencies.add(file);
      if (link.kind === 'folder') python.dependencies.add(link.target);
      const check = checkRunRules(run, context.rules);
      const label = runLabel(run);
      for (const hit of check.hits) {
        const finding = runFinding(run, hit, python.path, link.anchor, context.rules, label);
        if (finding) findings.push({ ...finding, evidence: [`log: \`${run.run}\`, written by ${link.via}`, ...(finding.evidence ?? [])] });
      }
    }
    return findings;
  }

  /** Forgets memoised facts about a module (the server calls this when a file changes or is deleted). */
  forget(file: string): void {
    for (const key of this.memo.keys()) if (key.endsWith(`:${file}`)) this.memo.delete(key);
    this.runs.forget(file);
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Names a script must mention before it is parsed for logging calls (most scripts log nothing we read). */
const RUN_LOG_HINTS = ['CSVLogger', 'TensorBoard', 'SummaryWriter', 'Trainer', 'TrainingArguments', 'SFTConfig'];

/**
 * Drops the findings the file's `# dl-doctor: ignore[...]` comments silence, adds an
 * `unused-suppression` finding for each directive that silenced nothing, and gives every finding
 * its "Ignore … on this line / in this file" quick fixes.
 */
function suppress(python: PythonFile, findings: Finding[], rules: RuleConfig | undefined): Finding[] {
  const ran = (code: string) => PYTHON_RULES.some((r) => r.code === code && effectiveSeverity(r.code, r.defaultSeverity, rules));
  const { kept, unused, directives } = applySuppressions(python, findings, ran);
  const severity = effectiveSeverity(unusedSuppression.code, unusedSuppression.defaultSeverity, rules);
  const all = [...kept];
  if (severity) for (const hit of unused) all.push({ rule: unusedSuppression.code, drawback: unusedSuppression.drawback, severity, file: python.path, ...hit });
  if (all.length === 0) return all;
  const spacing = commentSpacing(python);
  for (const finding of all) {
    const fixes = ignoreFixes(python, finding, directives, spacing);
    // A stale suppression is removed, not suppressed on its line; keeping them in a file is deliberate.
    finding.ignoreFixes = finding.rule === unusedSuppression.code ? fixes.filter((f) => !f.title.endsWith('on this line')) : fixes;
  }
  return all;
}
