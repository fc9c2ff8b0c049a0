/**
 * Browser mode: the backend hands out a one-time address for a file (a link cannot carry the token
 * header); following it as a download leaves this page where it is.
 */
export function startDownload(url: string, name: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
