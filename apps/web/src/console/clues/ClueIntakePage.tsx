import { CheckCircleOutlined, LinkOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons';
import {
  CLUE_CHANNEL_LABELS,
  CLUE_CONTENT_MAX,
  CLUE_KIND_LABELS,
  type ClueCreated,
  type ClueIntakeInput,
  type ClueKind,
  PHONE_RE,
  STAFF_CHANNELS,
} from '@rongjian/shared/api';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { SimpleList } from './SimpleList.tsx';
import { Link, useNavigate } from 'react-router';
import { ApiError, errorMessage } from '../../shared/api/client.ts';
import { useDict } from '../../shared/api/dicts.ts';
import { type DuplicateProbe, useDuplicates, useEntitySuggestions, useIntake } from './api.ts';
import { useDebounced, useGridOptions } from './hooks.ts';
import { channelLabel, StatusTag } from './labels.tsx';
import './clues.css';

interface IntakeValues {
  channel: (typeof STAFF_CHANNELS)[number];
  kind: ClueKind;
  receivedAt: Dayjs;
  respondentName?: string;
  respondentUscc?: string;
  respondentAddress?: string;
  entityId?: number;
  content: string;
  request?: string;
  address?: string;
  gridId?: number;
  departmentId?: number;
  businessLine?: string;
  complainant?: { name?: string; phone?: string; idCard?: string; address?: string };
  realName: boolean;
  anonymous: boolean;
  confidential: boolean;
}

const CHANNEL_OPTIONS = STAFF_CHANNELS.map((c) => ({ value: c, label: CLUE_CHANNEL_LABELS[c] }));
const KIND_OPTIONS = Object.entries(CLUE_KIND_LABELS).map(([value, label]) => ({ value, label }));

/** Server field paths (`complainant.phone`, `respondent.uscc`) → this form's fields. */
const FIELD_OF: Record<string, (string | number)[]> = {
  'respondent.name': ['respondentName'],
  'respondent.uscc': ['respondentUscc'],
  'respondent.address': ['respondentAddress'],
};
const formPath = (path: string): (string | number)[] => FIELD_OF[path] ?? path.split('.');
const KNOWN_FIELDS = new Set([
  'channel',
  'kind',
  'receivedAt',
  'respondentName',
  'respondentUscc',
  'respondentAddress',
  'entityId',
  'content',
  'request',
  'address',
  'gridId',
  'departmentId',
  'businessLine',
  'complainant',
]);

const blank = (s: string | undefined) => (s ?? '').trim() === '';
const trimmed = (s: string | undefined) => (blank(s) ? undefined : s!.trim());

function toBody(v: IntakeValues): ClueIntakeInput {
  const c = v.complainant ?? {};
  const hasPerson = !v.anonymous && !blank(c.name);
  const hasRespondent = !blank(v.respondentName) || !blank(v.respondentUscc) || !blank(v.respondentAddress);
  return {
    channel: v.channel,
    kind: v.kind,
    content: v.content.trim(),
    ...(trimmed(v.request) ? { request: trimmed(v.request) } : {}),
    receivedAt: v.receivedAt.toDate().toISOString(),
    ...(trimmed(v.address) ? { address: trimmed(v.address) } : {}),
    ...(v.gridId ? { gridId: v.gridId } : {}),
    ...(v.departmentId ? { departmentId: v.departmentId } : {}),
    ...(v.businessLine ? { businessLine: v.businessLine } : {}),
    ...(v.entityId ? { entityId: v.entityId } : {}),
    ...(hasRespondent
      ? {
          respondent: {
            name: trimmed(v.respondentName) ?? '',
            ...(trimmed(v.respondentUscc) ? { uscc: trimmed(v.respondentUscc)!.toUpperCase() } : {}),
            address: trimmed(v.respondentAddress) ?? '',
          },
        }
      : {}),
    ...(hasPerson
      ? {
          complainant: {
            name: c.name!.trim(),
            ...(trimmed(c.phone) ? { phone: trimmed(c.phone) } : {}),
            ...(trimmed(c.idCard) ? { idCard: trimmed(c.idCard)!.toUpperCase() } : {}),
            ...(trimmed(c.address) ? { address: trimmed(c.address) } : {}),
            realName: v.realName,
          },
        }
      : {}),
    anonymous: v.kind === 'report' ? v.anonymous : false,
    confidential: v.kind === 'report' ? v.confidential : false,
  };
}

/** The respondent box: type a name (or the first digits of a USCC) and pick the 经营主体 from the register. */
function RespondentField({
  onPick,
}: {
  onPick: (e: { id: number; name: string; uscc: string | null; address: string }) => void;
}) {
  const form = Form.useFormInstance<IntakeValues>();
  const name = Form.useWatch('respondentName', form) ?? '';
  const entityId = Form.useWatch('entityId', form);
  const typed = useDebounced(name, 300);
  const suggestions = useEntitySuggestions(entityId ? '' : typed);
  const items = suggestions.data?.items ?? [];
  return (
    <Form.Item
      label="被投诉（举报）对象"
      tooltip="输入名称片段或统一社会信用代码前几位，从经营主体库中选择；找不到时可直接填写名称"
      extra={
        entityId ? (
          <Space size={4} style={{ marginTop: 4 }}>
            <Tag color="blue" icon={<LinkOutlined />}>
              已关联经营主体 #{entityId}
            </Tag>
            <Button
              type="link"
              size="small"
              onClick={() => form.setFieldsValue({ entityId: undefined })}
              style={{ padding: 0 }}
            >
              取消关联
            </Button>
          </Space>
        ) : null
      }
    >
      <Form.Item name="respondentName" noStyle rules={[{ max: 100, message: '最多 100 个字' }]}>
        <AutoComplete
          aria-label="被投诉（举报）对象"
          placeholder="如：鑫旺烧烤店"
          allowClear
          onChange={() => {
            if (entityId) form.setFieldsValue({ entityId: undefined });
          }}
          notFoundContent={typed.trim().length >= 2 && suggestions.isFetching ? <Spin size="small" /> : null}
          options={items.map((e) => ({
            value: `entity:${e.id}`,
            label: (
              <div data-testid="entity-suggestion">
                <div>{e.name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.uscc ?? '无信用代码'} · {e.address || '地址不详'}
                </Typography.Text>
              </div>
            ),
          }))}
          onSelect={(value: string) => {
            const picked = items.find((e) => `entity:${e.id}` === value);
            // After the box's own change (which would show the option's key) has been applied.
            if (picked) setTimeout(() => onPick(picked), 0);
          }}
        />
      </Form.Item>
    </Form.Item>
  );
}

function Duplicates({ probe }: { probe: DuplicateProbe | null }) {
  const dup = useDuplicates(probe);
  const items = dup.data?.items ?? [];
  return (
    <Card
      title={
        <Space>
          <WarningOutlined style={{ color: items.length ? '#fa8c16' : '#bfbfbf' }} />
          疑似重复线索
        </Space>
      }
      variant="borderless"
      data-testid="duplicate-card"
    >
      {probe === null ? (
        <Typography.Text type="secondary">
          填写被投诉（举报）对象和内容后，自动查找近期相似线索，保存前请核对是否为重复来电。
        </Typography.Text>
      ) : dup.isError ? (
        <Alert type="warning" showIcon title="查重暂不可用" description={errorMessage(dup.error)} />
      ) : dup.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未发现相似线索" />
      ) : (
        <SimpleList
          items={items}
          itemKey={(d) => d.id}
          testId="duplicate-item"
          render={(d) => (
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={6}>
                <Link to={`/clues/${d.id}`} target="_blank" rel="noopener noreferrer">
                  {d.number}
                </Link>
                <StatusTag status={d.status} />
                <Tag color={d.score >= 0.8 ? 'red' : 'orange'}>相似度 {Math.round(d.score * 100)}%</Tag>
              </Space>
              <Typography.Text ellipsis={{ tooltip: d.title }}>{d.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {channelLabel(d.channel)} · {dayjs(d.receivedAt).format('YYYY-MM-DD HH:mm')} ·{' '}
                {d.respondentName || '—'}
              </Typography.Text>
              {d.reasons.length > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.reasons.join('；')}
                </Typography.Text>
              )}
            </Space>
          )}
        />
      )}
    </Card>
  );
}

function Done({ created, onAgain }: { created: ClueCreated; onAgain: () => void }) {
  const navigate = useNavigate();
  return (
    <Card variant="borderless">
      <Result
        status="success"
        icon={<CheckCircleOutlined />}
        title={
          <span>
            线索已登记：<span data-testid="created-number">{created.number}</span>
          </span>
        }
        subTitle={
          <Space>
            当前状态 <StatusTag status={created.status} />
          </Space>
        }
        extra={[
          <Button key="open" type="primary" autoFocus onClick={() => void navigate(`/clues/${created.id}`)}>
            查看线索
          </Button>,
          <Button key="again" onClick={onAgain}>
            继续登记
          </Button>,
        ]}
      />
    </Card>
  );
}

/**
 * 登记线索: a member of staff takes a call, a visit or a letter and registers it on the citizen's behalf. Built for
 * speed: channel and kind are one click, the respondent comes from the register while typing, similar clues show
 * before saving, Ctrl+Enter saves, and the server's field errors land on the fields.
 */
export default function ClueIntakePage() {
  const [form] = Form.useForm<IntakeValues>();
  const intake = useIntake();
  const lines = useDict('business_line');
  const places = useGridOptions();
  const [created, setCreated] = useState<ClueCreated | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const contentRef = useRef<TextAreaRef>(null);

  const kind = Form.useWatch('kind', form);
  const anonymous = Form.useWatch('anonymous', form);
  const content = Form.useWatch('content', form) ?? '';
  const respondentName = Form.useWatch('respondentName', form) ?? '';
  const entityId = Form.useWatch('entityId', form);
  const receivedAt = Form.useWatch('receivedAt', form);
  const probeInput = useMemo<DuplicateProbe | null>(() => {
    const text = content.trim();
    if (text.length < 5 || (!entityId && respondentName.trim().length < 2)) return null;
    return {
      ...(entityId ? { entityId } : { respondentName: respondentName.trim() }),
      content: text,
      ...(receivedAt ? { receivedAt: receivedAt.toDate().toISOString() } : {}),
    };
  }, [content, respondentName, entityId, receivedAt]);
  const probe = useDebounced(probeInput, 600);

  const initial: Partial<IntakeValues> = {
    channel: 'phone',
    kind: 'complaint',
    receivedAt: dayjs(),
    realName: true,
    anonymous: false,
    confidential: false,
  };

  const submit = async (v: IntakeValues) => {
    setFormError(null);
    try {
      setCreated(await intake.mutateAsync(toBody(v)));
    } catch (e) {
      if (e instanceof ApiError && e.details?.length) {
        const onForm = e.details.filter((d) => KNOWN_FIELDS.has(formPath(d.path)[0] as string));
        form.setFields(onForm.map((d) => ({ name: formPath(d.path) as never, errors: [d.message] })));
        if (onForm.length < e.details.length || onForm.length === 0) setFormError(e.message);
      } else {
        setFormError(errorMessage(e));
      }
    }
  };

  const again = () => {
    const keep = form.getFieldsValue(['channel']);
    form.resetFields();
    form.setFieldsValue({ ...keep, receivedAt: dayjs() });
    setCreated(null);
    intake.reset();
    setTimeout(() => contentRef.current?.focus(), 0);
  };

  if (created) return <Done created={created} onAgain={again} />;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card
          title="登记线索"
          variant="borderless"
          extra={<Typography.Text type="secondary">Ctrl+Enter 保存</Typography.Text>}
        >
          <Form<IntakeValues>
            form={form}
            name="clue-intake"
            layout="vertical"
            initialValues={initial}
            onFinish={(v) => void submit(v)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                form.submit();
              }
            }}
            scrollToFirstError
          >
            <Form.Item
              name="channel"
              label="来源渠道"
              rules={[{ required: true, message: '请选择来源渠道' }]}
            >
              <Radio.Group optionType="button" buttonStyle="solid" options={CHANNEL_OPTIONS} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={14}>
                <Form.Item
                  name="kind"
                  label="线索类型"
                  rules={[{ required: true, message: '请选择线索类型' }]}
                >
                  <Radio.Group optionType="button" options={KIND_OPTIONS} />
                </Form.Item>
              </Col>
              <Col xs={24} md={10}>
                <Form.Item
                  name="receivedAt"
                  label="收到时间"
                  rules={[{ required: true, message: '请选择收到时间' }]}
                >
                  <DatePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    allowClear={false}
                    disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
            </Row>

            <Typography.Title level={5} className="rj-clue-section">
              {kind === 'report' ? '举报人' : kind === 'complaint' ? '投诉人' : '来电（来访）人'}
            </Typography.Title>
            {kind === 'report' && (
              <Space size={24} style={{ marginBottom: 12 }}>
                <Form.Item name="anonymous" valuePropName="checked" noStyle>
                  <Checkbox>匿名举报</Checkbox>
                </Form.Item>
                <Form.Item name="confidential" valuePropName="checked" noStyle>
                  <Checkbox>要求保密（不向被举报方透露举报人信息）</Checkbox>
                </Form.Item>
              </Space>
            )}
            {!(kind === 'report' && anonymous) && (
              <>
                <Row gutter={16}>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={['complainant', 'name']}
                      label="姓名"
                      dependencies={[
                        ['complainant', 'phone'],
                        ['complainant', 'idCard'],
                        ['complainant', 'address'],
                      ]}
                      rules={[
                        { max: 50, message: '最多 50 个字' },
                        ({ getFieldValue }) => ({
                          validator: (_, value: string | undefined) =>
                            blank(value) &&
                            (!blank(getFieldValue(['complainant', 'phone'])) ||
                              !blank(getFieldValue(['complainant', 'idCard'])) ||
                              !blank(getFieldValue(['complainant', 'address'])))
                              ? Promise.reject(new Error('填写了联系方式时请填写姓名'))
                              : Promise.resolve(),
                        }),
                      ]}
                    >
                      <Input placeholder="如：张先生" maxLength={50} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={['complainant', 'phone']}
                      label="联系电话"
                      rules={[
                        {
                          validator: (_, value: string | undefined) =>
                            blank(value) || PHONE_RE.test(value!.trim())
                              ? Promise.resolve()
                              : Promise.reject(
                                  new Error('电话号码格式不正确（手机号 11 位，固定电话如 0512-12345678）'),
                                ),
                        },
                      ]}
                    >
                      <Input placeholder="手机或固定电话" maxLength={20} inputMode="tel" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item
                      name={['complainant', 'idCard']}
                      label="身份证号"
                      rules={[{ pattern: /^\s*\d{17}[\dXx]\s*$/, message: '身份证号应为 18 位' }]}
                    >
                      <Input placeholder="选填" maxLength={18} />
                    </Form.Item>
                  </Col>
                </Row>
                <Row gutter={16}>
                  <Col xs={24} md={16}>
                    <Form.Item name={['complainant', 'address']} label="联系地址">
                      <Input placeholder="选填" maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="realName" valuePropName="checked" label=" ">
                      <Checkbox>实名{kind === 'report' ? '举报' : '投诉'}</Checkbox>
                    </Form.Item>
                  </Col>
                </Row>
              </>
            )}

            <Typography.Title level={5} className="rj-clue-section">
              被投诉（举报）对象
            </Typography.Title>
            <Form.Item name="entityId" hidden>
              <Input />
            </Form.Item>
            <RespondentField
              onPick={(e) => {
                form.setFieldsValue({
                  entityId: e.id,
                  respondentName: e.name,
                  respondentUscc: e.uscc ?? undefined,
                  respondentAddress: e.address,
                });
                void form.validateFields(['respondentUscc']).catch(() => {});
              }}
            />
            <Row gutter={16}>
              <Col xs={24} md={10}>
                <Form.Item
                  name="respondentUscc"
                  label="统一社会信用代码"
                  rules={[
                    {
                      pattern: /^\s*[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}\s*$/,
                      message: '统一社会信用代码应为 18 位',
                    },
                  ]}
                >
                  <Input placeholder="选填" maxLength={18} />
                </Form.Item>
              </Col>
              <Col xs={24} md={14}>
                <Form.Item name="respondentAddress" label="经营地址">
                  <Input placeholder="选填" maxLength={200} />
                </Form.Item>
              </Col>
            </Row>

            <Typography.Title level={5} className="rj-clue-section">
              内容
            </Typography.Title>
            <Form.Item
              name="content"
              label="线索内容"
              rules={[
                { required: true, whitespace: true, message: '请填写线索内容' },
                { min: 5, message: '内容至少 5 个字' },
              ]}
            >
              <Input.TextArea
                ref={contentRef}
                rows={6}
                showCount
                maxLength={CLUE_CONTENT_MAX}
                placeholder="事情经过：时间、地点、商品或服务、金额、问题…"
              />
            </Form.Item>
            <Form.Item name="request" label="诉求">
              <Input.TextArea rows={2} showCount maxLength={2000} placeholder="如：退款、赔偿、依法查处" />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="address" label="事发地址">
                  <Input placeholder="选填；未填时按被投诉对象定位" maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="businessLine" label="业务条线" tooltip="可留空，分拣时确定">
                  <Select
                    allowClear
                    placeholder="分拣时确定"
                    options={lines.options}
                    loading={lines.isPending}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="gridId" label="所属网格" tooltip="可留空：按事发位置或被投诉对象自动确定">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder="自动确定"
                    options={places.grids}
                    loading={places.loading}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="departmentId"
                  label="承办部门"
                  tooltip="可留空：按网格或被投诉对象所属市场监管所确定"
                >
                  <Select
                    allowClear
                    placeholder="自动确定"
                    options={places.stations}
                    loading={places.loading}
                  />
                </Form.Item>
              </Col>
            </Row>
            {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
            <Space>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={intake.isPending}>
                保存
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue({ receivedAt: dayjs() });
                  setFormError(null);
                }}
              >
                清空
              </Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <div className="rj-clue-sticky">
          <Duplicates probe={probe} />
        </div>
      </Col>
    </Row>
  );
}
