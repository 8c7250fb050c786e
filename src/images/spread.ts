// Images on every host a run uses: an image the host already holds with the same id is left alone
// (the id is the content's hash, so the recipe's hash is in it); otherwise it is streamed from this
// machine's engine (docker save | docker load), as no registry may be reachable from either.
import { engineAt, LOCAL_ENGINE } from "../docker";

export interface Spread {
  readonly endpoint: string;
  readonly image: string;
  readonly action: "present" | "loaded";
  readonly ms: number;
}

export async function spreadImage(image: string, endpoint: string): Promise<Spread> {
  const started = Date.now();
  const local = await engineAt(LOCAL_ENGINE).getImage(image).inspect();
  const there = await engineAt(endpoint)
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  if (there?.Id === local.Id) return { endpoint, image, action: "present", ms: Date.now() - started };
  const stream = await engineAt(LOCAL_ENGINE).getImage(image).get();
  // dockerode's own reader of a progress stream: resolves once the load has said its last line.
  const loading = await engineAt(endpoint).loadImage(stream);
  await new Promise<void>((resolve, reject) => engineAt(endpoint).modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())));
  const loaded = await engineAt(endpoint).getImage(image).inspect();
  if (loaded.Id !== local.Id) throw new Error(`${image} on ${endpoint}: loaded, but its id ${loaded.Id} is not this machine's ${local.Id}`);
  return { endpoint, image, action: "loaded", ms: Date.now() - started };
}
