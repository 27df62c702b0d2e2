/** The GitHub API double: what tests import. */
export { createGitHubDouble } from "./github-double.js";
export type { ContractViolation, GitHubDouble, GitHubDoubleOptions, PullRequestSeed, RecordedRequest, SeedFile, ViolationKind } from "./github-double.js";
export { startGitHubDouble } from "./start-github-double.js";
export type { RunningGitHubDouble } from "./start-github-double.js";
export { githubFailures } from "./github-failures.js";
export type { InjectedFailure } from "./github-failures.js";
export { appKeyPair } from "./app-key-pair.js";
export { documentedPermissions, fakeSha } from "./double-state.js";
export type { AnnotationRecord, CheckRunRecord, CommentRecord, CommitRecord, DeploymentRecord, DeploymentStatusRecord, IssueRecord, Permissions } from "./double-state.js";
export { openApiContract } from "./openapi-contract.js";
export { appId, githubFixture, installationId } from "./github-fixture.js";
export type { GitHubFixture } from "./github-fixture.js";
