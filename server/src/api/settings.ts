import { SettingsPatch, type SettingsResponse } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { parseBody } from '../http/validate.js';

/** Runtime settings (admin only): read all, change some. */
export const settingsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services, config }) => {
  const admin = { preHandler: app.requireAdmin };

  // Besides the settings, the hub values in effect and where each comes from (Settings page or environment).
  const answer = (): SettingsResponse => ({ settings: services.settings.view(), hub: services.hubInEffect() });

  app.get('/api/settings', admin, async (): Promise<SettingsResponse> => answer());

  // The log level of the Settings page, else the configured one; applied now and after each change.
  const applyLogLevel = (): void => {
    app.log.level = services.settings.get().log_level || config.log_level;
  };
  applyLogLevel();

  app.patch('/api/settings', admin, async (request): Promise<SettingsResponse> => {
    await services.settings.update(parseBody(SettingsPatch, request));
    applyLogLevel();
    return answer();
  });
};
