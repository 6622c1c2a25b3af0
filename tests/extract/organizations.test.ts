import { extract } from '../../src/ingest/extract';
import { findCompanies } from '../../src/ingest/extract/organizations';

const names = (text: string) => findCompanies(text).map((c) => c.name);

describe('companies in text', () => {
  test('the 2022-06-16 sentence', () => {
    const text =
      '当日的签约仪式上，果洛州政府、省文化和旅游厅、青海盐湖工业股份有限公司、黄河上游水电开发有限公司还与中国联通青海省分公司签署《产业“四地”建设战略合作框架协议》';
    expect(names(text)).toEqual(['青海盐湖工业股份有限公司', '黄河上游水电开发有限公司']);
  });

  test.each([
    ['公司与北京字节跳动科技有限公司签约', ['北京字节跳动科技有限公司']],
    ['并与腾讯科技（深圳）有限公司合作', ['腾讯科技（深圳）有限公司']],
    ['百度在线网络技术(北京)有限公司获得了专利', ['百度在线网络技术(北京)有限公司']],
    ['旗下控股子公司浙江巨化技术中心有限公司', ['浙江巨化技术中心有限公司']],
    ['小米关联公司瀚星创业投资有限公司为股东', ['瀚星创业投资有限公司']],
    ['是北影控股集团公司持有湖南北影文化旅游开发有限公司的股权', ['湖南北影文化旅游开发有限公司']],
    ['企业名称变更为利宏科技（上海）有限公司，', ['利宏科技（上海）有限公司']],
    ['利宏数据（上海）有限公司近日发生工商变更', ['利宏数据（上海）有限公司']],
    [
      '奥克斯空调股份有限公司起诉珠海格力电器股份有限公司和宁波甬格信息科技有限公司等',
      ['奥克斯空调股份有限公司', '珠海格力电器股份有限公司', '宁波甬格信息科技有限公司'],
    ],
    ['2021年12月8日上海国际港务集团股份有限公司公告', ['上海国际港务集团股份有限公司']],
    ['中国石油天然气集团有限责任公司', ['中国石油天然气集团有限责任公司']],
    ['TCL科技集团股份有限公司', ['TCL科技集团股份有限公司']],
  ])('%s', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  test.each([
    ['too short', '一家有限公司、该有限公司、某某有限公司、本有限公司'],
    ['a branch', '中国联通有限公司青海省分公司、中国联通青海省分公司'],
    ['a placeholder', '某某科技有限公司'],
    ['no findable start', `${'青'.repeat(60)}有限公司`],
    ['digits only before', '2021有限公司'],
  ])('rejects %s', (_what, text) => {
    expect(names(text)).toEqual([]);
  });
});

describe('organizations in the extraction', () => {
  test('issuers: display names of stocks, with their counts; A and H shares merge', () => {
    const body =
      '<a class="keytip" data-code="1,600050">中国联通</a>与<a class="keytip" data-code="116,00762">中国联通</a>，巨化股份(600160)';
    const x = extract({ body, tags: [] });
    expect(x.organizations).toEqual([
      { name: '中国联通', issues: ['600050.SH', '00762.HK'], counts: { embed: 0, link: 2, text: 0 } },
      { name: '巨化股份', issues: ['600160.SH'], counts: { embed: 0, link: 0, text: 1 } },
    ]);
  });

  test('a stock without a display name gives no issuer', () => {
    const x = extract({ body: '（600050.SH）', tags: [] });
    expect(x.stocks).toHaveLength(1);
    expect(x.organizations).toEqual([]);
  });

  test('companies named in text are merged by name and counted as TEXT', () => {
    const x = extract({ body: '<p>青海盐湖工业股份有限公司公告。</p><p>据悉，青海盐湖工业股份有限公司</p>', tags: [] });
    expect(x.organizations).toEqual([
      { name: '青海盐湖工业股份有限公司', issues: [], counts: { embed: 0, link: 0, text: 2 } },
    ]);
  });
});
