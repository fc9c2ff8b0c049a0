/**
 * Whether an IPC call may be served: it must come from the main frame (not an iframe) of our own
 * renderer page, compared without query or fragment. Kept free of Electron so it is unit-tested.
 */
export function isTrustedSender(sender: { frameUrl: string | undefined; isMainFrame: boolean }, rendererUrl: string): boolean {
  if (!sender.isMainFrame || !sender.frameUrl) return false;
  return sender.frameUrl.split(/[?#]/)[0] === rendererUrl;
}
