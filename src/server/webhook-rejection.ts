/**
 * A webhook delivery meshplan refuses, with the HTTP status it maps to and a
 * reason GitHub shows in the app's "Recent Deliveries" page, so it should
 * say what to fix. The one error handler of the webhook app turns it into
 * the response.
 */
export type RejectionStatus = 400 | 401 | 413 | 503;

export class WebhookRejection extends Error {
  override name = "WebhookRejection";
  constructor(
    readonly status: RejectionStatus,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
