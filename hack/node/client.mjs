// An independent MCP client for kubectl-flux-mcp: the official TypeScript SDK connects over stdio,
// SSE and streamable HTTP, checks that every tool declares a title, the four hints and an output
// schema, and calls tools (the SDK validates structured content against the output schema).
// It also lists, reads and subscribes to resources, asks for completions, and answers confirmations:
// it declines a delete (the object must survive) and accepts another (that object must go).
// Run by mcp/node_test.go; prints one JSON line per transport and exits 1 on any problem.
//
// Environment: KFM_BINARY (the plugin), KUBECONFIG, KFM_SSE_URL, KFM_HTTP_URL, KFM_NAMESPACE (one
// holding the sample Flux objects, where Kustomization "apps" is failing, and a ConfigMap
// "doomed-TRANSPORT" per transport that may be deleted).
//
// Subscriptions: once subscribed, the script prints {"subscribed": URI, "transport": NAME} on stdout
// and waits; the test then writes the object's status through the API server, as a controller would,
// and the script expects notifications/resources/updated for the URI.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const env = process.env;
for (const name of ["KFM_BINARY", "KUBECONFIG", "KFM_SSE_URL", "KFM_HTTP_URL", "KFM_NAMESPACE"]) {
  if (!env[name]) {
    console.error(`client.mjs: ${name} is not set`);
    process.exit(2);
  }
}

const transports = {
  stdio: () =>
    new StdioClientTransport({
      command: env.KFM_BINARY,
      args: ["serve"],
      env: { KUBECONFIG: env.KUBECONFIG, HOME: env.HOME ?? "/tmp", PATH: env.PATH ?? "" },
      stderr: "ignore",
    }),
  sse: () => new SSEClientTransport(new URL(env.KFM_SSE_URL)),
  http: () => new StreamableHTTPClientTransport(new URL(env.KFM_HTTP_URL)),
};

const textOf = (res) => (res.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("");

async function check(name, makeTransport) {
  const problems = [];
  // The client can elicit: it accepts the deletion of a "doomed-" object and declines any other.
  const client = new Client({ name: "kfm-node-client", version: "0" }, { capabilities: { elicitation: {} } });
  const asked = [];
  client.setRequestHandler(ElicitRequestSchema, (req) => {
    asked.push(req.params.message);
    return req.params.message.includes(`"doomed-${name}"`) ? { action: "accept", content: { confirm: true } } : { action: "decline" };
  });
  const updated = [];
  let onUpdated = () => {};
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updated.push(n.params.uri);
    onUpdated();
  });
  await client.connect(makeTransport());
  const { tools } = await client.listTools();
  for (const tool of tools) {
    const a = tool.annotations ?? {};
    if (!(tool.title || a.title)) problems.push(`${tool.name}: no title`);
    for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
      if (typeof a[hint] !== "boolean") problems.push(`${tool.name}: ${hint} not set`);
    }
    if (tool.outputSchema?.type !== "object") problems.push(`${tool.name}: no output schema`);
  }
  const ns = env.KFM_NAMESPACE;
  const calls = [
    ["get_flux_resources", { kind: "ks", namespace: ns, status_selector: "ready=false" },
      (r) => r.structuredContent?.items?.some((i) => i.name === "apps" && i.reason === "BuildFailed") && textOf(r).includes("kustomization/apps")],
    ["get_kubernetes_resources", { kind: "ks", namespace: ns, fields: [".metadata.name", ".spec.path"] },
      (r) => r.structuredContent?.items?.length === 3 && r.structuredContent.items[0].values[1] === "./apps/production"],
    ["list_kubernetes_contexts", {}, (r) => r.structuredContent?.contexts?.some((c) => c.current)],
  ];
  for (const [tool, args, ok] of calls) {
    try {
      // callTool validates structuredContent against the tool's outputSchema.
      const res = await client.callTool({ name: tool, arguments: args });
      if (res.isError || !ok(res)) problems.push(`${tool}: unexpected result ${JSON.stringify(res).slice(0, 400)}`);
    } catch (e) {
      problems.push(`${tool}: ${e.message}`);
    }
  }

  // Resources: the failing Kustomization is listed and reads as the get operation's item.
  const uri = `flux://envtest/${ns}/Kustomization/apps`;
  try {
    let cursor;
    const uris = [];
    do {
      const page = await client.listResources(cursor ? { cursor } : {});
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
    } while (cursor);
    if (!uris.includes(uri) || !uris.includes("flux://envtest/summary")) problems.push(`resources/list lacks ${uri} or the summary`);
    const read = await client.readResource({ uri });
    const item = JSON.parse(read.contents[0].text);
    if (item.reason !== "BuildFailed" || item.ready !== "False") problems.push(`resources/read ${uri}: ${read.contents[0].text.slice(0, 300)}`);
  } catch (e) {
    problems.push(`resources: ${e.message}`);
  }

  // Subscription: the test writes the status of Kustomization "infrastructure" once told.
  const subURI = `flux://envtest/${ns}/Kustomization/infrastructure`;
  try {
    const seen = new Promise((resolve) => {
      onUpdated = () => updated.includes(subURI) && resolve(true);
      setTimeout(() => resolve(false), 10000);
    });
    await client.subscribeResource({ uri: subURI });
    console.log(JSON.stringify({ subscribed: subURI, transport: name }));
    if (!(await seen)) problems.push(`no notifications/resources/updated for ${subURI} within 10s of the status write (got ${JSON.stringify(updated)})`);
    await client.unsubscribeResource({ uri: subURI });
  } catch (e) {
    problems.push(`subscription: ${e.message}`);
  }

  // Completion of template variables: namespaces from the cluster, kinds from the Flux table,
  // names of the chosen kind in the chosen namespace.
  try {
    const ref = { type: "ref/resource", uri: "flux://{context}/{namespace}/{kind}/{name}" };
    const complete = async (arg, value, args) =>
      (await client.complete({ ref, argument: { name: arg, value }, context: { arguments: args } })).completion.values;
    const namespaces = await complete("namespace", ns.slice(0, 4), { context: "envtest" });
    if (!namespaces.includes(ns)) problems.push(`completion of namespace ${ns.slice(0, 4)}: ${JSON.stringify(namespaces)}`);
    const kinds = await complete("kind", "Kust", { context: "envtest", namespace: ns });
    if (!kinds.includes("Kustomization")) problems.push(`completion of kind Kust: ${JSON.stringify(kinds)}`);
    const names = await complete("name", "", { context: "envtest", namespace: ns, kind: "Kustomization" });
    if (!["apps", "infrastructure"].every((n) => names.includes(n))) problems.push(`completion of Kustomization names: ${JSON.stringify(names)}`);
  } catch (e) {
    problems.push(`completion: ${e.message}`);
  }

  // A declined confirmation changes nothing and says so. Not over SSE: mcp-go's SSE sessions cannot
  // send server requests, so there --confirm-fallback decides (allow by default) and nothing is asked.
  if (name !== "sse") try {
    const res = await client.callTool({ name: "delete_kubernetes_resource", arguments: { kind: "kustomization", name: "apps", namespace: ns } });
    if (!res.isError || !textOf(res).includes("nothing was changed") || asked.length !== 1 || !asked[0].includes(`Delete kustomization "apps"`)) {
      problems.push(`declined delete: asked ${JSON.stringify(asked)}, result ${JSON.stringify(res).slice(0, 300)}`);
    }
    const still = await client.callTool({ name: "get_flux_resources", arguments: { kind: "ks", name: "apps", namespace: ns } });
    if (still.isError) problems.push(`the declined delete removed apps: ${textOf(still)}`);
  } catch (e) {
    problems.push(`declined delete: ${e.message}`);
  }

  // An accepted confirmation lets the delete through (the test checks the object is gone).
  if (name !== "sse") try {
    const doomed = `doomed-${name}`;
    const res = await client.callTool({ name: "delete_kubernetes_resource", arguments: { kind: "configmap", name: doomed, namespace: ns } });
    if (res.isError || asked.length !== 2 || !asked[1].includes(`Delete configmap "${doomed}"`)) {
      problems.push(`accepted delete: asked ${JSON.stringify(asked)}, result ${JSON.stringify(res).slice(0, 300)}`);
    }
  } catch (e) {
    problems.push(`accepted delete: ${e.message}`);
  }
  await client.close();
  return { transport: name, tools: tools.length, problems };
}

let failed = false;
for (const [name, make] of Object.entries(transports)) {
  let result;
  try {
    result = await check(name, make);
  } catch (e) {
    result = { transport: name, tools: 0, problems: [`${e.message}`] };
  }
  failed ||= result.problems.length > 0;
  console.log(JSON.stringify(result));
}
process.exit(failed ? 1 : 0);
