/**
 * The one DOMPurify set-up of the web app: every HTML built from untrusted Markdown (model
 * answers, hub model cards) goes through `sanitizeHtml`. The link hook is installed once on the
 * shared DOMPurify instance: links open outside the app without telling the target where they came
 * from. Each caller passes its own forbidden tags (what it may show differs).
 */
import DOMPurify, { type Config } from 'dompurify';

let hooked = false;

export function sanitizeHtml(html: string, config: Config): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, { ...config, RETURN_TRUSTED_TYPE: false });
}
