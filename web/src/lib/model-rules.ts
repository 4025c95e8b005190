import type { Download } from '@mlx-manager/contract';

/*
 * Who may act on shared models, mirroring the server's rules (which decide; the web app only
 * hides what would be refused): the cache is shared by every profile, so deleting from it is
 * for admins, and a download is cancelled by whoever started it or an admin.
 */

export interface Viewer {
  id: string | undefined;
  isAdmin: boolean;
}

export function mayDeleteModel(viewer: Viewer): boolean {
  return viewer.isAdmin;
}

export function mayCancelDownload(viewer: Viewer, download: Pick<Download, 'created_by'>): boolean {
  return viewer.isAdmin || (viewer.id !== undefined && download.created_by === viewer.id);
}
