import type { Configuration } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);

  return merge(baseConfig, {
    module: {
      rules: [
        // Runbooks ship inside the bundle as Markdown source and are rendered (sanitised) at runtime.
        { test: /\.md$/, type: 'asset/source' },
      ],
    },
    plugins: [
      // The scaffold copies only the root plugin's logos; nested plugins (the panel) need theirs in dist/ too,
      // or Grafana and the validator (`metadatapaths`) find no logo for them.
      new CopyWebpackPlugin({ patterns: [{ from: 'panels/*/img/*', to: '.' }] }),
    ],
  });
};

export default config;
