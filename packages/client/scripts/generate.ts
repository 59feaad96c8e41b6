// Writes src/generated/openapi.ts from the document of a Cairn built from the server's current code.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generatedFile, servedDocument, typesOf } from "./openapi-types.js";

const types = await typesOf(await servedDocument());
writeFileSync(generatedFile, types);
console.log(`wrote ${fileURLToPath(generatedFile)} (${types.length} characters)`);
