/**
 * The one DOMPurify set-up of the web app: every HTML built from untrusted Markdown (model
 * answers, hub model cards) goes through `sanitizeHtml`. The link hook is installed once on the
 * shared DOMPurify instance: links open outside the app without telling the target where they came
 * from. Each caller passes its own forbidden tags (what it may show differs).
 */
import DOMPurify, { type Config } from 'dompurify';

let hooked = false;

export interface SafeHtmlOptions {
  /**
   * Put each image's alt text where the image was (nothing when it has none). The app loads no
   * image from another site (its Content-Security-Policy), so a remote `<img>` would only show a
   * broken-image icon.
   */
  imagesAsText?: boolean;
}

export function sanitizeHtml(html: string, config: Config, options: SafeHtmlOptions = {}): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  const clean = DOMPurify.sanitize(html, { ...config, RETURN_TRUSTED_TYPE: false });
  return options.imagesAsText ? imagesAsText(clean) : clean;
}

/** Class of the text that stands in for an image (styled in styles/prose.css). */
export const IMAGE_TEXT_CLASS = 'img-alt';

/** Sanitised HTML with every `<img>` replaced by its alt text; links left empty go too. */
function imagesAsText(clean: string): string {
  // A template's content is inert: parsing it here requests no image.
  const template = document.createElement('template');
  template.innerHTML = clean;
  const root = template.content;
  for (const img of root.querySelectorAll('img')) {
    const alt = img.getAttribute('alt')?.trim() ?? '';
    if (alt === '') {
      img.remove();
      continue;
    }
    const text = document.createElement('span');
    text.className = IMAGE_TEXT_CLASS;
    text.title = 'Image not shown: this app loads no pictures from other sites';
    text.textContent = alt;
    img.replaceWith(text);
  }
  // Badges are often a bare image inside a link: without it the link would be an invisible target.
  for (const link of root.querySelectorAll('a')) if (link.textContent?.trim() === '' && link.children.length === 0) link.remove();
  return template.innerHTML;
}
