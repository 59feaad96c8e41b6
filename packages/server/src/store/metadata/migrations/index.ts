import type { Kysely } from "kysely";
import * as initial from "./0001-initial.js";
import * as keys from "./0002-keys.js";
import * as sessions from "./0003-sessions.js";
import * as appKeys from "./0004-app-keys.js";
import * as excludeList from "./0005-exclude-list.js";
import * as feedback from "./0006-feedback.js";
import * as feedbackWebhooks from "./0007-feedback-webhooks.js";
import * as feedbackWidget from "./0008-feedback-widget.js";
import * as feedbackDirectory from "./0009-feedback-directory.js";
import * as tagging from "./0010-tagging.js";
import * as segments from "./0011-segments.js";
import * as reports from "./0012-reports.js";
import * as bulkDeletes from "./0013-bulk-deletes.js";
import * as webhookSecrets from "./0014-webhook-secrets.js";
import * as sessionMethod from "./0015-session-method.js";
import * as feedbackNumbers from "./0016-feedback-numbers.js";
import * as visitorIdentity from "./0017-visitor-identity.js";
import * as guides from "./0018-guides.js";
import * as guideDelivery from "./0019-guide-delivery.js";
import * as segmentRules from "./0020-segment-rules.js";
import * as revisionNotify from "./0021-revision-notify.js";
import * as doNotProcessRevision from "./0022-do-not-process-revision.js";

export interface MetadataMigration {
  up(db: Kysely<unknown>): Promise<void>;
}

/** Numbered and forward-only: append new ones, never edit or reorder applied ones. */
export const metadataMigrations: Readonly<Record<string, MetadataMigration>> = {
  "0001-initial": initial,
  "0002-keys": keys,
  "0003-sessions": sessions,
  "0004-app-keys": appKeys,
  "0005-exclude-list": excludeList,
  "0006-feedback": feedback,
  "0007-feedback-webhooks": feedbackWebhooks,
  "0008-feedback-widget": feedbackWidget,
  "0009-feedback-directory": feedbackDirectory,
  "0010-tagging": tagging,
  "0011-segments": segments,
  "0012-reports": reports,
  "0013-bulk-deletes": bulkDeletes,
  "0014-webhook-secrets": webhookSecrets,
  "0015-session-method": sessionMethod,
  "0016-feedback-numbers": feedbackNumbers,
  "0017-visitor-identity": visitorIdentity,
  "0018-guides": guides,
  "0019-guide-delivery": guideDelivery,
  "0020-segment-rules": segmentRules,
  "0021-revision-notify": revisionNotify,
  "0022-do-not-process-revision": doNotProcessRevision,
};
