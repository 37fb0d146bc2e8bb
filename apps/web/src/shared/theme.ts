import type { ThemeConfig } from 'antd';

/** A restrained government-console look: standard blue, small radii, dark side menu. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 4,
    colorBgLayout: '#f0f2f5',
  },
  components: {
    Layout: { siderBg: '#001529', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 16px' },
    Menu: { darkItemBg: '#001529', darkSubMenuItemBg: '#000c17' },
  },
};
