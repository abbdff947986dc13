// Files and folders the owner picks for the recovery screens. Electron answers with its open/save
// dialogs (src/main/index.ts); tests answer with fixed temp paths. null = the owner cancelled.
// The renderer never names a path: it asks main, and main asks the owner.
export type FilePurpose = 'backup-save' | 'backup-open' | 'age-identity' | 'restore-folder' | 'share-save';

export interface FileRequest {
  readonly purpose: FilePurpose;
  /** A file name to offer (save dialogs). */
  readonly suggestedName?: string;
}

export type FileChooser = (request: FileRequest) => Promise<string | null>;
