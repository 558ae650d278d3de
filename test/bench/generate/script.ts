/** Assembles one Python file of a project: its sections until the line target, then the script tail. */
import { COMMON_SECTIONS, pickSection } from './helpers';
import { KERAS_DATA, KERAS_MODELS, KERAS_SECTIONS } from './keras';
import { LIGHTNING_MODELS, LIGHTNING_SECTIONS } from './lightning';
import { scriptTail, seedHelper, type ScriptRole, type Seeding } from './main-function';
import { NUMPY_MODELS, NUMPY_SECTIONS } from './numpy-ml';
import { PythonFile, type Framework, type ModelRef, type ProjectApi, type Section } from './python-file';
import type { Random } from './random';
import { TORCH_DATA, TORCH_MODELS, TORCH_SECTIONS } from './torch';
import { DOCSTRINGS } from './vocab';

export type FileRole = 'utils' | 'models' | 'data' | ScriptRole;

export interface FileSpec {
  role: FileRole;
  project: ProjectApi;
  /** Roughly how many lines the file gets (sections are whole, so it lands within ~25 lines). */
  targetLines: number;
  seeding?: Seeding;
  /** Import keys the file needs whatever its sections are (see PythonFile.need). */
  imports?: string[];
}

/** Lines the parse_args/main tail of a script takes, reserved while filling the body. */
const TAIL_LINES = 45;

const FRAMEWORK_SECTIONS: Record<Framework, [Section, number][]> = {
  torch: TORCH_SECTIONS,
  keras: KERAS_SECTIONS,
  numpy: NUMPY_SECTIONS,
  lightning: [...LIGHTNING_SECTIONS, ...TORCH_DATA],
};

const MODEL_SECTIONS: Record<Framework, [Section, number][]> = {
  torch: TORCH_MODELS,
  keras: KERAS_MODELS,
  numpy: NUMPY_MODELS,
  lightning: [...LIGHTNING_MODELS, ...TORCH_MODELS],
};

const DATA_SECTIONS: Record<Framework, [Section, number][]> = {
  torch: TORCH_DATA,
  keras: KERAS_DATA,
  numpy: NUMPY_SECTIONS.slice(NUMPY_MODELS.length),
  lightning: [...LIGHTNING_SECTIONS.slice(1), ...TORCH_DATA],
};

function poolFor(role: FileRole, framework: Framework): [Section, number][] {
  switch (role) {
    case 'models':
      return MODEL_SECTIONS[framework];
    case 'data':
      return [...DATA_SECTIONS[framework], ...COMMON_SECTIONS.filter(([, w]) => w > 1)];
    case 'utils':
      return COMMON_SECTIONS;
    default:
      return [...FRAMEWORK_SECTIONS[framework], ...COMMON_SECTIONS];
  }
}

/** A model a script can build: one from `candidates` that suits the framework's main(). */
function usable(framework: Framework, candidates: ModelRef[]): ModelRef[] {
  return framework === 'lightning' ? candidates.filter((m) => m.name.endsWith('Module')) : candidates;
}

export function generateFile(rand: Random, spec: FileSpec): { text: string; file: PythonFile } {
  const { project, role } = spec;
  const f = new PythonFile(rand, project.framework, project);
  const isScript = role === 'train' || role === 'eval';
  if (spec.imports) f.need(...spec.imports);
  if (role === 'utils' && project.seedHelper) f.add(seedHelper(f, f.fresh(project.seedHelper)));
  const pool = poolFor(role, project.framework);
  // Scripts use the project's models often, their own sometimes.
  const importModel = isScript && project.models.length > 0 && rand.chance(0.6);
  const reserve = isScript ? TAIL_LINES : 0;
  for (let guard = 0; guard < 200 && (f.lineCount + reserve + 12 < spec.targetLines || (role === 'models' && f.models.length === 0)); guard++) {
    const lines = pickSection(f, pool)(f);
    if (lines?.length) f.add(lines);
  }
  if (isScript) {
    let model: ModelRef | undefined;
    const own = usable(project.framework, f.modelRefs());
    const shared = usable(project.framework, project.models);
    if (importModel && shared.length) {
      model = rand.pick(shared);
      f.needLocal('models', model.name);
    } else if (own.length) {
      model = rand.pick(own);
    }
    scriptTail(f, role, spec.seeding ?? 'none', model);
  }
  const docstring = rand.pick(DOCSTRINGS[role]).replace('{p}', project.name).replace('{n}', String(rand.int(2, 9)));
  return { text: f.render(docstring), file: f };
}
