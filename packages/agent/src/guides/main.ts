import { guidesLoadedHook, type MountGuides } from "../guide-loader/guide-contract.js";
import { createGuideRunner } from "./guide-runner.js";

// Loaded by the core agent once guide.json answers a guide (or the page asks for one); hands the runner back
// through the hook the agent set up.
const pendo = (window as unknown as { pendo?: Record<string, unknown> }).pendo;
const loaded = pendo?.[guidesLoadedHook];
if (typeof loaded === "function") (loaded as (mount: MountGuides) => void).call(pendo, createGuideRunner);
