/** Saves a blob as a file through the browser's download (the desktop host shows its save dialog). */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(fileName: string, text: string, mime = 'text/csv;charset=utf-8'): void {
  // a byte-order mark so spreadsheets read UTF-8 (airport names, currency symbols)
  downloadBlob(fileName, new Blob(['\ufeff', text], { type: mime }));
}

/** A file-name-safe stamp: "2026-11-25T0805". */
export function fileStamp(d = new Date()): string {
  return d.toISOString().slice(0, 16).replace(/:/g, '');
}
