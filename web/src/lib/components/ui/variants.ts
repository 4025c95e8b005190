// Class recipes of the small design system, kept apart from markup so every component
// (and a link styled as a button) shares them.

export type ButtonVariant = 'default' | 'destructive' | 'outline' | 'secondary' | 'ghost' | 'ghost-destructive' | 'link';
export type ButtonSize = 'default' | 'sm' | 'lg' | 'icon';
export type BadgeVariant = 'default' | 'secondary' | 'destructive' | 'outline' | 'success' | 'warning';

const buttonBase =
  'inline-flex items-center justify-center gap-2 whitespace-nowrap rounded-lg text-sm font-medium transition-colors ' +
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 ' +
  'disabled:pointer-events-none disabled:opacity-50 aria-disabled:pointer-events-none aria-disabled:opacity-50 ' +
  '[&_svg]:size-4 [&_svg]:shrink-0';

const buttonVariants: Record<ButtonVariant, string> = {
  default: 'bg-brand-600 text-white shadow-sm hover:bg-brand-700 dark:bg-brand-500 dark:text-slate-950 dark:hover:bg-brand-400',
  destructive: 'bg-red-600 text-white shadow-sm hover:bg-red-700 dark:bg-red-600 dark:hover:bg-red-500',
  outline:
    'border border-slate-300 bg-white text-slate-800 shadow-xs hover:bg-slate-50 ' +
    'dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800',
  secondary: 'bg-slate-100 text-slate-900 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
  ghost: 'text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white',
  // A quiet red action in a row of many (Delete), loud only on hover.
  'ghost-destructive': 'text-red-600 hover:bg-red-50 hover:text-red-700 dark:text-red-400 dark:hover:bg-red-500/10 dark:hover:text-red-300',
  link: 'text-brand-700 underline-offset-4 hover:underline dark:text-brand-400',
};

const buttonSizes: Record<ButtonSize, string> = {
  default: 'h-9 px-4',
  sm: 'h-8 px-3 text-xs',
  lg: 'h-11 px-6 text-base',
  icon: 'size-9',
};

export function buttonClass(variant: ButtonVariant = 'default', size: ButtonSize = 'default'): string {
  return `${buttonBase} ${buttonVariants[variant]} ${variant === 'link' ? 'h-auto px-0' : buttonSizes[size]}`;
}

const badgeVariants: Record<BadgeVariant, string> = {
  default: 'bg-brand-100 text-brand-800 ring-brand-600/20 dark:bg-brand-500/15 dark:text-brand-300 dark:ring-brand-400/30',
  secondary: 'bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/20',
  destructive: 'bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-400/30',
  outline: 'bg-transparent text-slate-700 ring-slate-300 dark:text-slate-300 dark:ring-slate-600',
  success: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/15 dark:text-emerald-300 dark:ring-emerald-400/30',
  warning: 'bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-400/30',
};

export function badgeClass(variant: BadgeVariant = 'default'): string {
  return `inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badgeVariants[variant]}`;
}

/** The dimmed backdrop and the centred panel every modal (Dialog, ConfirmDialog) uses. */
export const overlayClass = 'fixed inset-0 z-40 bg-slate-950/50 backdrop-blur-[2px]';
export const modalClass =
  'fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl border ' +
  'border-slate-200 bg-white p-6 shadow-xl dark:border-slate-800 dark:bg-slate-900';
