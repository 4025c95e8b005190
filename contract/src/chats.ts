import { z } from 'zod';

/*
 * Chat playground history (`/api/chats`). A chat is one conversation of one user, its messages
 * stored with it. Messages keep what the page shows (text, reasoning, tool calls, attachment
 * names and small thumbnails, speed), not the full attachments: a picture is sent once, with the
 * turn it belongs to.
 */

const MAX_TEXT = 200_000;

export const ChatToolCall = z.object({
  id: z.string().max(200),
  name: z.string().max(200),
  arguments: z.string().max(MAX_TEXT),
  result: z.string().max(MAX_TEXT).optional(),
  error: z.string().max(MAX_TEXT).optional(),
});
export type ChatToolCall = z.infer<typeof ChatToolCall>;

export const ChatAttachment = z.object({
  kind: z.enum(['image', 'video', 'text']),
  name: z.string().max(500),
  /** A small preview (data: URL, at most ~64 KB) for images and video frames. */
  thumbnail: z.string().max(90_000).startsWith('data:image/').optional(),
  /** Inlined text of a text/code file. */
  text: z.string().max(MAX_TEXT).optional(),
  /** Video: how many frames were sampled. */
  frames: z.number().int().min(0).max(1000).optional(),
});
export type ChatAttachment = z.infer<typeof ChatAttachment>;

export const ChatStats = z.object({
  ttft_ms: z.number().min(0).nullable(),
  duration_ms: z.number().min(0),
  tokens: z.number().int().min(0).nullable(),
  tokens_per_second: z.number().min(0).nullable(),
});
export type ChatStats = z.infer<typeof ChatStats>;

export const ChatMessage = z.object({
  id: z.string().min(1).max(100),
  role: z.enum(['user', 'assistant', 'error']),
  content: z.string().max(MAX_TEXT),
  /** The model that answered (assistant) — in a comparison each column has its own. */
  model: z.string().max(500).optional(),
  /** Side-by-side comparisons: which column (0 left, 1 right) an answer belongs to. */
  column: z.number().int().min(0).max(1).optional(),
  reasoning: z.string().max(MAX_TEXT).optional(),
  reasoning_ms: z.number().min(0).optional(),
  tool_calls: z.array(ChatToolCall).max(100).optional(),
  attachments: z.array(ChatAttachment).max(10).optional(),
  stats: ChatStats.optional(),
  /** The answer was stopped by the user before it ended. */
  stopped: z.boolean().optional(),
  created_at: z.string().max(40),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatSettings = z.object({
  temperature: z.number().min(0).max(2).nullable().optional(),
  max_tokens: z.number().int().min(1).max(1_000_000).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  system_prompt: z.string().max(MAX_TEXT).nullable().optional(),
  tools_enabled: z.boolean().optional(),
  max_tool_rounds: z.number().int().min(1).max(20).optional(),
  /** The second model of a side-by-side comparison; null = one column. */
  compare_model: z.string().max(500).nullable().optional(),
});
export type ChatSettings = z.infer<typeof ChatSettings>;

export const MAX_CHAT_MESSAGES = 1000;

export const Chat = z.object({
  id: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  settings: ChatSettings,
  messages: z.array(ChatMessage),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Chat = z.infer<typeof Chat>;

export const ChatSummary = Chat.omit({ messages: true, settings: true }).extend({ message_count: z.number().int() });
export type ChatSummary = z.infer<typeof ChatSummary>;

export const ChatList = z.object({ chats: z.array(ChatSummary) });
export type ChatList = z.infer<typeof ChatList>;

export const ChatListQuery = z.object({ q: z.string().trim().max(200).optional() }).strict();
export type ChatListQuery = z.infer<typeof ChatListQuery>;

const Title = z.string().trim().min(1).max(200);

const ChatFields = z
  .object({
    title: Title.optional(),
    model: z.string().max(500).nullable().optional(),
    settings: ChatSettings.optional(),
    messages: z.array(ChatMessage).max(MAX_CHAT_MESSAGES).optional(),
  })
  .strict();

export const CreateChatRequest = ChatFields;
export type CreateChatRequest = z.infer<typeof CreateChatRequest>;

/** Rename, switch model, change settings or replace the messages (any subset). */
export const UpdateChatRequest = ChatFields;
export type UpdateChatRequest = z.infer<typeof UpdateChatRequest>;
