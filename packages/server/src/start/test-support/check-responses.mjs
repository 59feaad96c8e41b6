// The test script's `--import`: turns the response check on in the test process only. Node hands `--import`
// to worker threads too, where a TypeScript file given there keeps the prepare workers from starting.
import { isMainThread } from "node:worker_threads";

if (isMainThread) await import("./check-responses.ts");
