// A TypeScript drill file type-checked against the drill interface before anything starts: a word that no
// longer exists fails here, naming file, line and word, not 30 s into a run as "is not a function".
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError, ROOT } from "./catalog";

/** At most this many of the file's errors are shown: the first ones explain the rest. */
const SHOWN = 10;

export function typeCheckDrill(path: string): void {
  // The compiler is loaded for this one check (a second or two), never for other commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const program = ts.createProgram([path], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    // Node's types when installed (a checkout); an installed zkdrill has none, and a drill needs none.
    typeRoots: [join(ROOT, "node_modules", "@types")],
    types: existsSync(join(ROOT, "node_modules", "@types", "node")) ? ["node"] : [],
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const file = program.getSourceFile(path);
  // Only the drill's own mistakes: zkdrill's sources are checked when zkdrill is built.
  const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  if (found.length === 0) return;
  const shown = found.slice(0, SHOWN).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0];
    if (!d.file || d.start === undefined) return `  ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const word = d.file.text.slice(d.start, d.start + (d.length ?? 0));
    return `  ${relative(process.cwd(), d.file.fileName) || d.file.fileName}:${line + 1}:${character + 1}: ${word ? `"${word}": ` : ""}${text}`;
  });
  const more = found.length > SHOWN ? `\n  ...and ${found.length - SHOWN} more` : "";
  throw new InputError(`${path} does not type-check against the drill interface (src/drill/index.ts); nothing was started:\n${shown.join("\n")}${more}\nfix the drill (the words a drill may use are the Drill type, src/drill/context.ts), then retry`);
}
