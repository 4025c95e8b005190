// The built-in tools as an MCP server: calculator and weather. One server object per request
// (the transport is stateless), so nothing here outlives a call.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CALCULATOR_CONSTANTS, CALCULATOR_FUNCTIONS, CalculatorError, evaluate, MAX_EXPRESSION_LENGTH } from './calculator.js';
import { weatherFor } from './weather.js';

const SERVER_INFO = { name: 'mlx-manager-tools', version: '1.0.0' };

function ok(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function refused(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** A new MCP server offering `calculator {expression}` and `weather {location, unit?}`. */
export function createToolsServer(version: string): McpServer {
  const server = new McpServer({ ...SERVER_INFO, version });

  server.registerTool(
    'calculator',
    {
      title: 'Calculator',
      description:
        `Evaluates an arithmetic expression exactly (use it instead of mental arithmetic). Numbers, + - * / % ^ (power), ` +
        `parentheses, unary minus, constants ${CALCULATOR_CONSTANTS.join(', ')} and functions ${CALCULATOR_FUNCTIONS.join(', ')}. ` +
        'Example: "sqrt(2) * (3 + 4)^2".',
      inputSchema: { expression: z.string().max(MAX_EXPRESSION_LENGTH).describe('The arithmetic expression, e.g. "12 * (3 + 4)"') },
    },
    ({ expression }) => {
      try {
        return ok({ expression, result: evaluate(expression) });
      } catch (err) {
        if (err instanceof CalculatorError) return refused(`Cannot calculate: ${err.message}`);
        throw err;
      }
    },
  );

  server.registerTool(
    'weather',
    {
      title: 'Weather',
      description: 'Current weather for a place (a built-in demo: simulated, but always the same for the same place).',
      inputSchema: {
        location: z.string().max(200).describe('City or place name, e.g. "Lisbon"'),
        unit: z.enum(['celsius', 'fahrenheit']).optional().describe('Temperature unit (default celsius)'),
      },
    },
    ({ location, unit }) => {
      if (location.trim() === '') return refused('A location is required');
      return ok({ ...weatherFor(location, unit ?? 'celsius') });
    },
  );

  return server;
}
