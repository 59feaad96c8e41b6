import { type MountPanel, panelLoadedHook } from "../feedback/panel-contract.js";
import { mountPanel } from "./mount-panel.js";

// Loaded by the core agent's `pendo.feedback.open()`; hands the panel back through the hook it set up.
const feedback = (window as unknown as { pendo?: { feedback?: Record<string, unknown> } }).pendo?.feedback;
const loaded = feedback?.[panelLoadedHook];
if (typeof loaded === "function") (loaded as (mount: MountPanel) => void)(mountPanel);
