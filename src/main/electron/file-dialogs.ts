import { app, BrowserWindow, dialog, type FileFilter } from 'electron';
import path from 'node:path';

/** CSV first; "All files" because other tools save CSV as .txt or without an ending. */
const CSV_FILTERS: FileFilter[] = [
  { name: 'CSV files', extensions: ['csv'] },
  { name: 'All files', extensions: ['*'] },
];

/** Sheet-like on macOS, modal elsewhere: the dialog belongs to the window that asked. */
const owner = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

/**
 * The desktop's file dialogs for CSV export and import (DesktopAbilities): the admin picks the
 * path, the main process keeps it behind a handle, and the page never names one itself.
 */
export const csvFileDialogs = {
  async chooseSaveFile(suggestedName: string): Promise<string | null> {
    const options = {
      defaultPath: path.join(app.getPath('documents'), suggestedName),
      filters: CSV_FILTERS,
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    };
    const window = owner();
    const chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
  },
  async chooseOpenFile(): Promise<string | null> {
    const options = { filters: CSV_FILTERS, properties: ['openFile' as const] };
    const window = owner();
    const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
  },
};
