export interface Workspace {
  name: string;
  output: string;
  inputs: string[];
  needs: string[];
}
export interface WorkspaceFacts {
  outputMs: number | null;
  newestInputMs: number;
}
export const SHARED_INPUTS: string[];
export const WORKSPACES: Workspace[];
export function newestInputMs(root: string, paths: readonly string[]): number;
export function outputMs(root: string, output: string): number | null;
export function staleWorkspaces(workspaces: readonly Workspace[], facts: Record<string, WorkspaceFacts>): string[];
