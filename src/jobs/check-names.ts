/**
 * Names meshplan reports under on GitHub. Their own module so the webhook
 * function can tell meshplan's check runs apart without importing the jobs.
 */
export const CHECK_NAME = "meshplan";
/** Hidden marker that identifies meshplan's comment on a pull request. */
export const COMMENT_MARKER = "<!-- meshplan:plan -->";
/** GitHub's limit for a check run summary and an issue comment body. */
export const GITHUB_TEXT_LIMIT = 65_535;
