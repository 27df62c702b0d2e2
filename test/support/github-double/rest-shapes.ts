/**
 * The JSON objects GitHub's REST API returns, built from the double's records
 * with every field the OpenAPI description requires, so a client that reads
 * a field GitHub sends finds it here too. The double checks each response it
 * sends against the description (see openapi-contract.ts).
 */
import { createHash } from "node:crypto";
import type {
  AppRecord,
  CheckRunRecord,
  CommentRecord,
  CommitRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  DoubleState,
  InstallationRecord,
  IssueRecord,
  PullRequestRecord,
  RepoRecord,
  UserRef,
} from "./double-state.js";
import { gitBlobSha, githubTime } from "./double-state.js";

const webOrigin = "https://github.com";

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

/** A stable id for a commit's tree, from its paths and blob ids (not git's tree encoding, which nothing here reads). */
function treeSha(commit: CommitRecord): string {
  const hash = createHash("sha1");
  for (const [path, entry] of [...commit.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${entry.kind} ${path}\0${gitBlobSha(entry.kind === "file" ? entry.content : new TextEncoder().encode(entry.target))}\n`);
  }
  return hash.digest("hex");
}

export const restShapes = {
  simpleUser(user: UserRef, api: string) {
    const url = `${api}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(user.type, user.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: "",
      url,
      html_url: user.type === "Bot" ? `${webOrigin}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${webOrigin}/${user.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: user.type,
      user_view_type: "public",
      site_admin: false,
    };
  },

  app(app: AppRecord, api: string) {
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId("Integration", app.id),
      client_id: app.clientId,
      owner: restShapes.simpleUser(app.owner, api),
      name: app.name,
      description: null,
      external_url: `https://${app.slug}.example.com`,
      html_url: `${webOrigin}/apps/${app.slug}`,
      created_at: githubTime(app.createdAt),
      updated_at: githubTime(app.createdAt),
      permissions: { checks: "write", contents: "read", deployments: "write", issues: "write", metadata: "read", pull_requests: "write" },
      events: ["check_run", "check_suite", "pull_request", "push"],
    };
  },

  checkRun(state: DoubleState, repo: RepoRecord, run: CheckRunRecord, api: string) {
    const app = state.apps.get(run.appId);
    const url = `${api}/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`;
    return {
      id: run.id,
      head_sha: run.headSha,
      node_id: nodeId("CheckRun", run.id),
      external_id: run.externalId,
      url,
      html_url: `${webOrigin}/${repo.owner}/${repo.name}/runs/${run.id}`,
      details_url: run.detailsUrl ?? (app ? `https://${app.slug}.example.com` : null),
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.checkSuiteId },
      app: app ? restShapes.app(app, api) : null,
      // GitHub lists the open pull requests of this repository whose head is the run's commit; never a fork's.
      pull_requests: [...repo.pulls.values()]
        .filter((pr) => pr.state === "open" && pr.headSha === run.headSha && pr.headRepoFullName.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase())
        .map((pr) => restShapes.pullRequestMinimal(repo, pr, api)),
    };
  },

  /** A commit as the commits and compare endpoints list it; the double's commits are authored by `octocat`, unsigned. */
  commit(state: DoubleState, repo: RepoRecord, commit: CommitRecord, api: string) {
    const repoUrl = `${api}/repos/${repo.owner}/${repo.name}`;
    const web = `${webOrigin}/${repo.owner}/${repo.name}`;
    const author = state.user("octocat");
    const gitUser = { name: "The Octocat", email: "octocat@github.com", date: githubTime(commit.committedAt) };
    const tree = treeSha(commit);
    return {
      url: `${repoUrl}/commits/${commit.sha}`,
      sha: commit.sha,
      node_id: nodeId("Commit", parseInt(commit.sha.slice(0, 12), 16)),
      html_url: `${web}/commit/${commit.sha}`,
      comments_url: `${repoUrl}/commits/${commit.sha}/comments`,
      commit: {
        url: `${repoUrl}/git/commits/${commit.sha}`,
        author: gitUser,
        committer: gitUser,
        message: commit.message,
        comment_count: 0,
        tree: { sha: tree, url: `${repoUrl}/git/trees/${tree}` },
        verification: { verified: false, reason: "unsigned", payload: null, signature: null, verified_at: null },
      },
      author: restShapes.simpleUser(author, api),
      committer: restShapes.simpleUser(author, api),
      parents: commit.parents.map((sha) => ({ sha, url: `${repoUrl}/commits/${sha}`, html_url: `${web}/commit/${sha}` })),
    };
  },

  /**
   * A repository as GET /repos/{owner}/{repo} returns it to an installation: private, owned by an organisation, without
   * a licence. Merge settings are left out, as GitHub leaves them out for a token without `contents: write`.
   */
  fullRepository(state: DoubleState, repo: RepoRecord, api: string) {
    const owner = state.user(repo.owner, "Organization");
    const full = `${repo.owner}/${repo.name}`;
    const url = `${api}/repos/${full}`;
    const web = `${webOrigin}/${full}`;
    const commits = [...repo.commits.values()];
    const pushedAt = commits.reduce((latest, c) => (c.committedAt > latest ? c.committedAt : latest), repo.createdAt);
    const head = repo.commits.get(repo.branches.get(repo.defaultBranch) ?? "");
    const bytes = head ? [...head.entries.values()].reduce((sum, e) => sum + (e.kind === "file" ? e.content.byteLength : e.target.length), 0) : 0;
    const openIssues = [...repo.issues.values(), ...repo.pulls.values()].filter((i) => i.state === "open").length;
    return {
      id: repo.id,
      node_id: nodeId("Repository", repo.id),
      name: repo.name,
      full_name: full,
      owner: restShapes.simpleUser(owner, api),
      private: true,
      html_url: web,
      description: null,
      fork: false,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://github.com/${full}.git`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@github.com:${full}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${web}.git`,
      mirror_url: null,
      hooks_url: `${url}/hooks`,
      svn_url: web,
      homepage: null,
      language: null,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: Math.ceil(bytes / 1024),
      default_branch: repo.defaultBranch,
      open_issues_count: openIssues,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: "private",
      pushed_at: githubTime(pushedAt),
      created_at: githubTime(repo.createdAt),
      updated_at: githubTime(pushedAt),
      allow_forking: false,
      web_commit_signoff_required: false,
      license: null,
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
      network_count: 0,
      subscribers_count: 0,
      ...(owner.type === "Organization" ? { organization: restShapes.simpleUser(owner, api) } : {}),
    };
  },

  /** A branch as GET /repos/{owner}/{repo}/branches/{branch} returns it; the double's branches are unprotected. */
  branchWithProtection(state: DoubleState, repo: RepoRecord, name: string, head: CommitRecord, api: string) {
    const self = `${api}/repos/${repo.owner}/${repo.name}/branches/${encodeURI(name)}`;
    return {
      name,
      commit: restShapes.commit(state, repo, head, api),
      _links: { self, html: `${webOrigin}/${repo.owner}/${repo.name}/tree/${encodeURI(name)}` },
      protected: false,
      protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
      protection_url: `${self}/protection`,
    };
  },

  /** An app's installation on an account, as the app sees it (repository selection "all"). */
  installation(state: DoubleState, app: AppRecord, installation: InstallationRecord, api: string) {
    const account = state.user(installation.account, "Organization");
    const settings =
      account.type === "Organization" ? `${webOrigin}/organizations/${account.login}/settings/installations/${installation.id}` : `${webOrigin}/settings/installations/${installation.id}`;
    return {
      id: installation.id,
      account: restShapes.simpleUser(account, api),
      repository_selection: "all",
      access_tokens_url: `${api}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${api}/installation/repositories`,
      html_url: settings,
      app_id: app.id,
      client_id: app.clientId,
      app_slug: app.slug,
      target_id: account.id,
      target_type: account.type,
      permissions: { ...installation.permissions },
      events: ["check_run", "check_suite", "pull_request", "push"],
      created_at: githubTime(installation.createdAt),
      updated_at: githubTime(installation.createdAt),
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  },

  pullRequestMinimal(repo: RepoRecord, pr: PullRequestRecord, api: string) {
    const repoRef = { id: repo.id, url: `${api}/repos/${repo.owner}/${repo.name}`, name: repo.name };
    return {
      id: pr.id,
      number: pr.number,
      url: `${api}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`,
      head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: repoRef },
    };
  },

  issueComment(state: DoubleState, repo: RepoRecord, comment: CommentRecord, api: string) {
    const app = comment.appId === null ? undefined : state.apps.get(comment.appId);
    return {
      id: comment.id,
      node_id: nodeId("IssueComment", comment.id),
      url: `${api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
      html_url: `${webOrigin}/${repo.owner}/${repo.name}/${repo.pulls.has(comment.issueNumber) ? "pull" : "issues"}/${comment.issueNumber}#issuecomment-${comment.id}`,
      body: comment.body,
      user: restShapes.simpleUser(comment.user, api),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${api}/repos/${repo.owner}/${repo.name}/issues/${comment.issueNumber}`,
      author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
      performed_via_github_app: app ? restShapes.app(app, api) : null,
      reactions: restShapes.reactions(`${api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}/reactions`),
    };
  },

  reactions(url: string) {
    return { url, total_count: 0, "+1": 0, "-1": 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
  },

  issue(state: DoubleState, repo: RepoRecord, issue: IssueRecord, api: string) {
    const app = issue.appId === null ? undefined : state.apps.get(issue.appId);
    const repoUrl = `${api}/repos/${repo.owner}/${repo.name}`;
    const url = `${repoUrl}/issues/${issue.number}`;
    return {
      id: issue.id,
      node_id: nodeId("Issue", issue.id),
      url,
      repository_url: repoUrl,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${webOrigin}/${repo.owner}/${repo.name}/issues/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: restShapes.simpleUser(issue.user, api),
      labels: issue.labels.map((name, i) => ({
        id: 5_000_000_000 + i,
        node_id: nodeId("Label", i),
        url: `${repoUrl}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: "ededed",
        default: false,
      })),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: repo.comments.filter((c) => c.issueNumber === issue.number).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_by: null,
      author_association: issue.user.type === "Bot" ? "NONE" : "MEMBER",
      performed_via_github_app: app ? restShapes.app(app, api) : null,
      reactions: restShapes.reactions(`${url}/reactions`),
      timeline_url: `${url}/timeline`,
    };
  },

  deployment(state: DoubleState, repo: RepoRecord, d: DeploymentRecord, api: string) {
    const app = d.appId === null ? undefined : state.apps.get(d.appId);
    const repoUrl = `${api}/repos/${repo.owner}/${repo.name}`;
    return {
      url: `${repoUrl}/deployments/${d.id}`,
      id: d.id,
      node_id: nodeId("Deployment", d.id),
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: restShapes.simpleUser(d.creator, api),
      created_at: d.createdAt,
      updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
      statuses_url: `${repoUrl}/deployments/${d.id}/statuses`,
      repository_url: repoUrl,
      transient_environment: d.transientEnvironment,
      production_environment: d.productionEnvironment,
      performed_via_github_app: app ? restShapes.app(app, api) : null,
    };
  },

  deploymentStatus(state: DoubleState, repo: RepoRecord, d: DeploymentRecord, s: DeploymentStatusRecord, api: string) {
    const app = d.appId === null ? undefined : state.apps.get(d.appId);
    const repoUrl = `${api}/repos/${repo.owner}/${repo.name}`;
    return {
      url: `${repoUrl}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: nodeId("DeploymentStatus", s.id),
      state: s.state,
      creator: restShapes.simpleUser(d.creator, api),
      description: s.description,
      environment: s.environment,
      target_url: s.logUrl,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deployment_url: `${repoUrl}/deployments/${d.id}`,
      repository_url: repoUrl,
      environment_url: s.environmentUrl,
      log_url: s.logUrl,
      performed_via_github_app: app ? restShapes.app(app, api) : null,
    };
  },
};
