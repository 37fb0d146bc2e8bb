import { UploadOutlined } from '@ant-design/icons';
import { BUSINESS_LINES } from '@rongjian/shared';
import type { PublicClueCreated, PublicClueIntakeInput, PublicClueKind } from '@rongjian/shared/api';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Radio,
  Result,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../shared/api/client.ts';
import { getChallenge, submitClue, uploadAttachment } from './api.ts';
import { ChallengeField } from './ChallengeField.tsx';
import { PublicLayout } from './PublicLayout.tsx';

const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/;

const KINDS: { value: PublicClueKind; label: string; help: string }[] = [
  { value: 'complaint', label: '投诉', help: '与经营者发生消费纠纷，请求调解、维护自身权益' },
  { value: 'report', label: '举报', help: '反映经营者涉嫌违法的线索（可匿名，可要求保密）' },
  { value: 'inquiry', label: '咨询', help: '询问市场监管方面的法规、办事流程' },
  { value: 'suggestion', label: '建议', help: '对市场监管工作提出意见建议' },
];

interface FormValues {
  kind: PublicClueKind;
  content: string;
  request?: string;
  respondentName?: string;
  respondentAddress?: string;
  address?: string;
  businessLine?: string;
  name?: string;
  phone?: string;
  anonymous?: boolean;
  confidential?: boolean;
  challengeAnswer: string;
}

/** What the citizen sees after submitting: the number and query code, and attachments to add. */
function Submitted({ created }: { created: PublicClueCreated }) {
  const { message } = App.useApp();
  const [uploaded, setUploaded] = useState<string[]>([]);
  return (
    <Card variant="borderless">
      <Result
        status="success"
        title="提交成功"
        subTitle="请记下编号和查询码，凭此查询办理进度。查询码只显示这一次。"
        extra={
          <Space orientation="vertical" size={8} style={{ textAlign: 'left' }}>
            <Typography.Text>
              编号：
              <Typography.Text strong copyable data-testid="created-number">
                {created.number}
              </Typography.Text>
            </Typography.Text>
            <Typography.Text>
              查询码：
              <Typography.Text strong copyable data-testid="created-code">
                {created.queryCode}
              </Typography.Text>
            </Typography.Text>
          </Space>
        }
      />
      <Card type="inner" title="补充证据材料（可选）">
        <Typography.Paragraph type="secondary">
          可上传照片（JPEG、PNG、GIF、WebP）或 PDF
          文件，每个文件不超过系统限制；线索进入办理阶段后不能再补充。
        </Typography.Paragraph>
        <Upload
          accept="image/jpeg,image/png,image/gif,image/webp,application/pdf"
          showUploadList={false}
          customRequest={({ file, onSuccess, onError }) => {
            uploadAttachment(created.number, created.queryCode, file as File).then(
              (r) => {
                setUploaded((u) => [...u, (file as File).name]);
                void message.success(r.duplicate ? '该文件已上传过' : '已上传');
                onSuccess?.(r);
              },
              (e) => {
                void message.error(errorMessage(e));
                onError?.(e as Error);
              },
            );
          }}
        >
          <Button icon={<UploadOutlined />}>选择文件上传</Button>
        </Upload>
        {uploaded.length > 0 && (
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
            已上传：{uploaded.join('、')}
          </Typography.Paragraph>
        )}
      </Card>
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to={`/public/clues/query?number=${created.number}`}>去查询办理进度</Link>
      </div>
    </Card>
  );
}

/** 公众入口 › 我要提交: a complaint, report, inquiry or suggestion without signing in. */
export default function PublicIntakePage() {
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form) ?? 'complaint';
  const anonymous = Form.useWatch('anonymous', form) ?? false;
  const challenge = useQuery({
    queryKey: ['public', 'challenge'],
    queryFn: getChallenge,
    staleTime: Infinity,
    retry: false,
  });
  // One key per submission: a retry after a lost answer returns the same number instead of a second clue.
  const idempotencyKey = useRef<string>(crypto.randomUUID());
  const [created, setCreated] = useState<PublicClueCreated | null>(null);
  const isAnonymousReport = kind === 'report' && anonymous;

  const submit = useMutation({
    mutationFn: (body: PublicClueIntakeInput) => submitClue(body, idempotencyKey.current),
    onSuccess: (c) => {
      setCreated(c);
      window.scrollTo({ top: 0 });
    },
    onError: (e) => {
      // A challenge is used once: any refused submission needs a new one.
      form.setFieldValue('challengeAnswer', '');
      void challenge.refetch();
      if (e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED')
        idempotencyKey.current = crypto.randomUUID();
      if (e instanceof ApiError && e.details) {
        const fields: Record<string, keyof FormValues> = {
          'body.content': 'content',
          'body.complainant.phone': 'phone',
          'body.complainant.name': 'name',
          'body.complainant': 'name',
          challengeAnswer: 'challengeAnswer',
        };
        form.setFields(
          e.details
            .filter((d) => fields[d.path])
            .map((d) => ({ name: fields[d.path]!, errors: [d.message] })),
        );
      }
    },
  });

  const onFinish = (v: FormValues) => {
    const c = challenge.data;
    if (!c) return;
    const respondent =
      v.respondentName?.trim() || v.respondentAddress?.trim()
        ? { name: v.respondentName?.trim() ?? '', address: v.respondentAddress?.trim() ?? '' }
        : undefined;
    submit.mutate({
      kind: v.kind,
      content: v.content,
      ...(v.request?.trim() ? { request: v.request.trim() } : {}),
      ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      ...(v.businessLine ? { businessLine: v.businessLine } : {}),
      ...(respondent ? { respondent } : {}),
      ...(isAnonymousReport ? {} : { complainant: { name: v.name ?? '', phone: v.phone ?? '' } }),
      anonymous: isAnonymousReport,
      confidential: v.kind === 'report' && !!v.confidential,
      challengeId: c.id,
      challengeAnswer: v.challengeAnswer,
    });
  };

  if (created) {
    return (
      <PublicLayout title="网上投诉举报">
        <Submitted created={created} />
      </PublicLayout>
    );
  }

  return (
    <PublicLayout title="网上投诉举报">
      <Card variant="borderless">
        <Typography.Paragraph type="secondary">
          无需登录。提交后您将获得编号和查询码，可随时查询办理进度。请如实填写，您的个人信息受法律保护，不会向被投诉（举报）方透露。
        </Typography.Paragraph>
        {submit.isError && (
          <Alert type="error" showIcon title={errorMessage(submit.error)} style={{ marginBottom: 16 }} />
        )}
        <Form<FormValues>
          form={form}
          layout="vertical"
          name="public-intake"
          initialValues={{ kind: 'complaint', anonymous: false, confidential: false }}
          onFinish={onFinish}
          requiredMark="optional"
        >
          <Form.Item
            name="kind"
            label="类型"
            rules={[{ required: true, message: '请选择类型' }]}
            extra={KINDS.find((k) => k.value === kind)?.help}
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={KINDS.map(({ value, label }) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item
            name="content"
            label="事情经过"
            rules={[
              { required: true, whitespace: true, message: '请描述事情经过' },
              { min: 5, message: '至少 5 个字' },
              { max: 20000, message: '最多 20000 个字' },
            ]}
          >
            <Input.TextArea
              rows={5}
              showCount
              maxLength={20000}
              placeholder="时间、地点、经过，以及您掌握的情况"
            />
          </Form.Item>
          {kind === 'complaint' && (
            <Form.Item name="request" label="您的诉求" rules={[{ max: 2000, message: '最多 2000 个字' }]}>
              <Input.TextArea rows={2} placeholder="如：退货退款、赔偿、更换商品" />
            </Form.Item>
          )}
          {(kind === 'complaint' || kind === 'report') && (
            <>
              <Form.Item
                name="respondentName"
                label={kind === 'report' ? '被举报对象' : '被投诉对象'}
                rules={[{ max: 100, message: '最多 100 个字' }]}
              >
                <Input placeholder="商户、企业名称或店招" />
              </Form.Item>
              <Form.Item
                name="respondentAddress"
                label="对象地址"
                rules={[{ max: 200, message: '最多 200 个字' }]}
              >
                <Input placeholder="经营地址" />
              </Form.Item>
            </>
          )}
          <Form.Item name="businessLine" label="涉及领域" extra="不确定可不选，工作人员会帮您分类">
            <Select
              allowClear
              placeholder="如：食品、特种设备、价格"
              options={BUSINESS_LINES.map((l) => ({ value: l, label: l }))}
            />
          </Form.Item>
          <Form.Item name="address" label="事发地点" rules={[{ max: 200, message: '最多 200 个字' }]}>
            <Input placeholder="如：人民路 8 号 城东超市" />
          </Form.Item>
          {kind === 'report' && (
            <Space orientation="vertical" style={{ marginBottom: 16 }}>
              <Form.Item name="anonymous" valuePropName="checked" noStyle>
                <Checkbox>匿名举报（不留姓名和电话，将无法收到答复）</Checkbox>
              </Form.Item>
              {!anonymous && (
                <Form.Item name="confidential" valuePropName="checked" noStyle>
                  <Checkbox>请为我的身份保密</Checkbox>
                </Form.Item>
              )}
            </Space>
          )}
          {!isAnonymousReport && (
            <>
              <Form.Item
                name="name"
                label="您的姓名"
                rules={[
                  { required: true, whitespace: true, message: '请填写姓名' },
                  { max: 50, message: '最多 50 个字' },
                ]}
              >
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name="phone"
                label="联系电话"
                rules={[
                  { required: true, message: '请填写联系电话' },
                  { pattern: PHONE_RE, message: '手机号 11 位，固定电话如 0512-12345678' },
                ]}
              >
                <Input inputMode="tel" autoComplete="tel" />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="challengeAnswer"
            label="验证码"
            extra="请计算图中算式的结果；看不清可换一张。"
            rules={[{ required: true, whitespace: true, message: '请输入验证码' }]}
          >
            <ChallengeField
              challenge={challenge.data}
              loading={challenge.isFetching}
              onRefresh={() => {
                form.setFieldValue('challengeAnswer', '');
                void challenge.refetch();
              }}
            />
          </Form.Item>
          {challenge.isError && (
            <Alert
              type="warning"
              showIcon
              title={errorMessage(challenge.error)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Button type="primary" htmlType="submit" size="large" block loading={submit.isPending}>
            提交
          </Button>
        </Form>
      </Card>
    </PublicLayout>
  );
}
