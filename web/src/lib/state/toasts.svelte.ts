import type { ResolvedPathname } from '$app/types';

export interface ToastAction {
  label: string;
  /** An in-app path: pass `resolve('/path')`. */
  href: ResolvedPathname;
}

export interface Toast {
  id: number;
  message: string;
  variant: 'success' | 'error' | 'info';
  action?: ToastAction | undefined;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Short notes that outlive the page that raised them (a download finishing while the user reads
 * something else). Each leaves by itself after a while, or when dismissed.
 */
class Toasts {
  items = $state.raw<readonly Toast[]>([]);
  #nextId = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(toast: Omit<Toast, 'id'>, timeoutMs = DEFAULT_TIMEOUT_MS): number {
    const id = this.#nextId++;
    this.items = [...this.items, { ...toast, id }];
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), timeoutMs),
    );
    return id;
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}

export const toasts = new Toasts();
