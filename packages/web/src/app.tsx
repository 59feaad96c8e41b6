import { lazy, Suspense } from "react";
import { Route, Switch } from "wouter";
import { Dashboard } from "./analytics/dashboard.tsx";
import { SessionGate } from "./api/session.tsx";
import { FeedbackBoard } from "./feedback/feedback-board.tsx";
import { IdeaDetails } from "./feedback/idea-details.tsx";
import { Accounts, Visitors } from "./people/people-lists.tsx";
import { AccountProfile, VisitorProfile } from "./people/profile-pages.tsx";
import { QueryPage } from "./query/query-page.tsx";
import { AppDetails } from "./settings/app-details.tsx";
import { AuditLog } from "./settings/audit-log.tsx";
import { ExcludeList } from "./settings/exclude-list.tsx";
import { InstallSettings } from "./settings/install-settings.tsx";
import { FeedbackApiAccess, IntegrationKeys } from "./settings/secret-key-pages.tsx";
import { SubscriptionSettings } from "./settings/subscription-settings.tsx";
import { Users } from "./settings/users.tsx";
import { Layout } from "./shell/layout.tsx";
import { NotFound } from "./shell/not-found.tsx";
import { SignInPage } from "./shell/sign-in-page.tsx";
import { EditFeature, Features, NewFeature } from "./tagging/features.tsx";
import { EditPage, NewPage, Pages } from "./tagging/pages.tsx";
import { TrackEvents } from "./tagging/track-events.tsx";
import { ErrorNote, Loading } from "./ui/states.tsx";

// The guide screens are a chunk of their own: most visits never open them.
const guideScreens = () => import("./guides/guide-screens.tsx");
const GuidesList = lazy(async () => ({ default: (await guideScreens()).GuidesList }));
const NewGuide = lazy(async () => ({ default: (await guideScreens()).NewGuide }));
const EditGuide = lazy(async () => ({ default: (await guideScreens()).EditGuide }));
// So are the segment screens, with their builder.
const segmentScreens = () => import("./segments/segment-screens.tsx");
const SegmentsList = lazy(async () => ({ default: (await segmentScreens()).SegmentsList }));
const NewSegment = lazy(async () => ({ default: (await segmentScreens()).NewSegment }));
const SegmentPage = lazy(async () => ({ default: (await segmentScreens()).SegmentPage }));

/** Every screen by its path; the paths follow the menus Pendo's users know (Settings → Integrations → …). */
export const screens = {
  dashboard: "/",
  installSettings: "/settings/install",
  appDetails: "/settings/apps/:id",
  integrationKeys: "/settings/integration-keys",
  excludeList: "/settings/exclude-list",
  users: "/settings/users",
  auditLog: "/settings/audit-log",
  subscription: "/settings/subscription",
  feedbackApiAccess: "/feedback-settings/api-access",
  visitors: "/visitors",
  visitor: "/visitors/:id",
  accounts: "/accounts",
  account: "/accounts/:id",
  query: "/query",
  pages: "/pages",
  newPage: "/pages/new",
  page: "/pages/:id",
  features: "/features",
  newFeature: "/features/new",
  feature: "/features/:id",
  trackEvents: "/track-events",
  ideas: "/ideas",
  idea: "/ideas/:id",
  guides: "/guides",
  newGuide: "/guides/new",
  guide: "/guides/:id",
  segments: "/segments",
  newSegment: "/segments/new",
  segment: "/segments/:id",
} as const;

export function App() {
  return (
    <SessionGate
      signedOut={<SignInPage />}
      failed={(error) => (
        <main className="centered">
          <ErrorNote error={error} />
        </main>
      )}
    >
      <Layout>
        <Suspense fallback={<Loading what="the screen" />}>
          <Switch>
            <Route path={screens.dashboard} component={Dashboard} />
            <Route path={screens.installSettings} component={InstallSettings} />
            <Route path={screens.appDetails} component={AppDetails} />
            <Route path={screens.integrationKeys} component={IntegrationKeys} />
            <Route path={screens.excludeList} component={ExcludeList} />
            <Route path={screens.users} component={Users} />
            <Route path={screens.auditLog} component={AuditLog} />
            <Route path={screens.subscription} component={SubscriptionSettings} />
            <Route path={screens.feedbackApiAccess} component={FeedbackApiAccess} />
            <Route path={screens.visitors} component={Visitors} />
            <Route path={screens.visitor} component={VisitorProfile} />
            <Route path={screens.accounts} component={Accounts} />
            <Route path={screens.account} component={AccountProfile} />
            <Route path={screens.query} component={QueryPage} />
            <Route path={screens.pages} component={Pages} />
            <Route path={screens.newPage} component={NewPage} />
            <Route path={screens.page} component={EditPage} />
            <Route path={screens.features} component={Features} />
            <Route path={screens.newFeature} component={NewFeature} />
            <Route path={screens.feature} component={EditFeature} />
            <Route path={screens.trackEvents} component={TrackEvents} />
            <Route path={screens.ideas} component={FeedbackBoard} />
            <Route path={screens.idea} component={IdeaDetails} />
            <Route path={screens.guides} component={GuidesList} />
            <Route path={screens.newGuide} component={NewGuide} />
            <Route path={screens.guide} component={EditGuide} />
            <Route path={screens.segments} component={SegmentsList} />
            <Route path={screens.newSegment} component={NewSegment} />
            <Route path={screens.segment} component={SegmentPage} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
      </Layout>
    </SessionGate>
  );
}
