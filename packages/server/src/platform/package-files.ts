import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);

/** True under tsx (tests, benchmarks' servers); false when running the build, bundled or not. */
const fromSource = here.endsWith(".ts");

function isServerPackage(dir: string): boolean {
  const manifest = path.join(dir, "package.json");
  return (
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@cairn/server"
  );
}

/**
 * The server package's folder, found by walking up from this code, because this code runs from three places:
 * `src/` (tsx), `dist/` (the compiled files) and the CLI bundle `dist/cli/main.js`, each at another depth.
 */
function findPackageRoot(): string {
  for (let dir = path.dirname(here); ; dir = path.dirname(dir)) {
    if (isServerPackage(dir)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`@cairn/server's package.json not found above ${here}`);
  }
}

export const packageRoot = findPackageRoot();

/** A module of the server by its path in `src/` without extension, as the running code can load it. */
export function serverModulePath(modulePath: string): string {
  return fromSource
    ? path.join(packageRoot, "src", `${modulePath}.ts`)
    : path.join(packageRoot, "dist", `${modulePath}.js`);
}

/** A file the build copies from `src/` to `dist/` as it is (pages, scripts). */
export function serverAssetPath(assetPath: string): string {
  return path.join(packageRoot, fromSource ? "src" : "dist", assetPath);
}
