import type { Configuration } from 'webpack';
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
  });
};

export default config;
