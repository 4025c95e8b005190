// Several text blocks become one string when the other side wants a string (system prompts,
// tool results, engines that glue content parts together with nothing between them). A blank line
// keeps them apart the way separate blocks read.
export const BLOCK_SEPARATOR = '\n\n';

export const joinTexts = (texts: readonly string[]): string => texts.filter((t) => t !== '').join(BLOCK_SEPARATOR);
