/**
 * GitHub's page-number pagination (docs.github.com: "Using pagination in the
 * REST API"): `per_page` (default 30, at most 100) and `page`, and a `Link`
 * header with `prev`, `next`, `first` and `last` URLs that keep the other
 * query parameters.
 */
import type { OperationRequest } from "./operation-handler.js";

const maxPerPage = 100;

export function paginate<T>(request: Pick<OperationRequest, "query" | "url" | "api">, items: readonly T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(maxPerPage, Math.max(1, Number(request.query.per_page ?? 30) || 30));
  const pageNumber = Math.max(1, Number(request.query.page ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);

  const link = (n: number, rel: string) => {
    const u = new URL(request.url.pathname + request.url.search, request.api);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(link(Math.min(pageNumber - 1, lastPage), "prev"));
  if (pageNumber < lastPage) links.push(link(pageNumber + 1, "next"), link(lastPage, "last"));
  if (pageNumber > 1) links.push(link(1, "first"));
  return { page, headers: links.length ? { link: links.join(", ") } : {} };
}
