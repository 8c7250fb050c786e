// Where zkdrill's own files are, whether this code runs from src/ (tsx) or compiled from dist/src/.
import { relative, resolve, sep } from "node:path";

/** The package's root: src/common is two levels down from it, dist/src/common three. */
export const PACKAGE_ROOT = ((): string => {
  const up = resolve(__dirname, "..", "..");
  return up.endsWith(`${sep}dist`) ? resolve(up, "..") : up;
})();

/**
 * The source folder of a compiled one: dist/src/runtime -> src/runtime. tsc copies no assets (ZooKeeper's
 * scripts, image recipes), so they are read where they are kept.
 */
export function sourceDir(dir: string): string {
  const rel = relative(resolve(PACKAGE_ROOT, "dist"), dir);
  return rel.startsWith("..") || rel === dir ? dir : resolve(PACKAGE_ROOT, rel);
}
