import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Image file extensions each loader accepts (compared lower-case):
 * - torchvision `ImageFolder`: `IMG_EXTENSIONS` in torchvision/datasets/folder.py (Debian's
 *   python3-torchvision, /usr/lib/python3/dist-packages/torchvision/datasets/folder.py line 241),
 *   matched case-insensitively by `has_file_allowed_extension`.
 * - Keras `image_dataset_from_directory`: `ALLOWLIST_FORMATS` in keras/src/utils/image_dataset_utils.py
 *   (.bmp .gif .jpeg .jpg .png), matched on the lower-cased name.
 * - Keras `ImageDataGenerator.flow_from_directory`: `white_list_formats` of `DirectoryIterator`
 *   (png jpg jpeg bmp ppm tif tiff), keras/src/legacy/preprocessing/image.py.
 */
export const IMAGE_EXTENSIONS = {
  torchvision: ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'],
  keras: ['.bmp', '.gif', '.jpeg', '.jpg', '.png'],
  kerasGenerator: ['.png', '.jpg', '.jpeg', '.bmp', '.ppm', '.tif', '.tiff'],
} as const;

export type ImageLoader = keyof typeof IMAGE_EXTENSIONS;

export interface ImageFolderCount {
  /** Images per class subfolder (folder name → count), classes in sorted order as the loaders sort them. */
  classCounts: Record<string, number>;
  /** Images in all classes. */
  total: number;
  /** The walk stopped at a bound: counts are lower bounds. */
  truncated: boolean;
  /** Links or folders skipped because they lead back to a folder already walked. */
  loopsSkipped: number;
}

export interface WalkLimits {
  maxEntries: number;
  maxDepth: number;
  signal?: AbortSignal;
}

const DEFAULT_LIMITS: WalkLimits = { maxEntries: 500_000, maxDepth: 16 };

/**
 * Counts images per class subfolder of `root` the way the loaders see them: each subfolder of the root
 * is a class (sorted by name), and images anywhere below it count for it. torchvision follows symbolic
 * links (`os.walk(followlinks=True)` in `make_dataset`); Keras does not by default (`follow_links=False`).
 * Followed links are checked against the real paths above them, so a link back up the tree is never
 * walked in a loop; the walk is bounded in entries and depth.
 * Returns undefined when the root is not a folder.
 */
export async function countImageFolder(root: string, loader: ImageLoader, limits: Partial<WalkLimits> = {}): Promise<ImageFolderCount | undefined> {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  const followLinks = loader === 'torchvision';
  const extensions = new Set<string>(IMAGE_EXTENSIONS[loader]);
  let rootStat;
  try {
    rootStat = await fs.stat(root);
  } catch {
    return undefined;
  }
  if (!rootStat.isDirectory()) return undefined;
  const result: ImageFolderCount = { classCounts: {}, total: 0, truncated: false, loopsSkipped: 0 };
  const rootReal = await fs.realpath(root);
  let entries = 0;
  const classes = (await listDir(root)).filter((e) => e.isDirectory() || (followLinks && e.isSymbolicLink())).map((e) => e.name).sort();
  for (const name of classes) {
    const dir = path.join(root, name);
    if (!(await isFolder(dir))) continue;
    let count = 0;
    // Each folder carries the real paths of the folders above it: a link to one of them is a loop (Python's
    // os.walk would follow it until the path is too long); a link elsewhere is walked as the loader walks it.
    const stack: Array<{ dir: string; depth: number; ancestors: readonly string[] }> = [{ dir, depth: 1, ancestors: [rootReal] }];
    while (stack.length > 0 && entries <= bounds.maxEntries) {
      if (bounds.signal?.aborted) throw new Error('cancelled');
      const { dir: current, depth, ancestors } = stack.pop()!;
      const real = await fs.realpath(current).catch(() => undefined);
      if (!real) continue;
      if (ancestors.includes(real)) {
        result.loopsSkipped++;
        continue;
      }
      const chain = [...ancestors, real];
      for (const entry of await listDir(current)) {
        if (++entries > bounds.maxEntries) {
          result.truncated = true;
          break;
        }
        const full = path.join(current, entry.name);
        if (entry.isDirectory() || (followLinks && entry.isSymbolicLink() && (await isFolder(full)))) {
          if (depth >= bounds.maxDepth) result.truncated = true;
          else stack.push({ dir: full, depth: depth + 1, ancestors: chain });
        } else if ((entry.isFile() || (followLinks && entry.isSymbolicLink())) && extensions.has(path.extname(entry.name).toLowerCase())) {
          count++;
        }
      }
    }
    result.classCounts[name] = count;
    result.total += count;
    if (entries > bounds.maxEntries) break;
  }
  return result;
}

async function listDir(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
