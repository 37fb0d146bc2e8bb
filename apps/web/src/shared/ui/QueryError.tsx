import { Alert } from 'antd';
import { errorMessage } from '../api/client.ts';

/** The red 加载失败 banner a list shows above its table when its query fails; renders nothing otherwise. */
export function QueryError({
  query,
  title = '加载失败',
}: {
  query: { isError: boolean; error: unknown };
  title?: string;
}) {
  if (!query.isError) return null;
  return <Alert type="error" showIcon title={title} description={errorMessage(query.error)} />;
}
