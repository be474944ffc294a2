/**
 * A kubelet's client-side rate limit on the API server, as it bounds how fast one node can report its pods Ready.
 *
 * KubeletConfiguration's defaults (Kubernetes >= 1.27, pkg/kubelet/apis/config/v1beta1/defaults.go): kubeAPIQPS 50,
 * kubeAPIBurst 100, a token bucket shared by the kubelet's API calls. Its status manager syncs a pod's status with
 * a GET of the pod then a PATCH of its status (pkg/kubelet/status/status_manager.go, syncPod): two requests. A pod
 * is Ready for everyone else (the EndpointSlice controller, the recorder, the autoscalers) once that PATCH lands.
 * So a node that starts hundreds of pods at once reports the first 50 at once and then 25 a second: a freshly booted
 * node taking a 1,000-pod burst needs about 38 s to report them all. Counted here: one status sync per pod, for its
 * Ready; the earlier Pending/ContainerCreating sync a kubelet may also send is coalesced away under throttling, and
 * node status, leases and events are left out, so this is a floor on the real delay.
 */
export const KUBELET_API_QPS = 50;
export const KUBELET_API_BURST = 100;
/** GET + PATCH of the pod's status. */
export const STATUS_SYNC_REQUESTS = 2;

/**
 * A token bucket as client-go's (golang.org/x/time/rate, via flowcontrol): `rate` tokens a second up to `burst`,
 * each request taking one; a reservation that finds too few waits until the bucket has refilled to cover it, and
 * reservations are served in the order they were made. Pure: the caller gives the time.
 */
export class TokenBucket {
  private tokens: number;
  private at = 0;

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Reserves `n` tokens at `nowMs`; returns how long the caller waits for them, in whole ms (0: at once). */
  reserve(nowMs: number, n: number): number {
    const elapsed = Math.max(0, nowMs - this.at);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerS) / 1000);
    this.at = Math.max(this.at, nowMs);
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerS);
  }
}

/** One node's kubelet client: when a pod whose containers are ready at `nowMs` is reported Ready, as a delay. */
export class KubeletApi {
  private readonly bucket = new TokenBucket(KUBELET_API_QPS, KUBELET_API_BURST);

  statusSyncDelay(nowMs: number): number {
    return this.bucket.reserve(nowMs, STATUS_SYNC_REQUESTS);
  }
}
