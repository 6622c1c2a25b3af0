/**
 * Eastmoney markup snippets, copied from the shapes in the real finews posts.
 */
import type { Board, Stock } from './universe';

const QUOTE = 'http://quote.eastmoney.com/unify/r/';
const TOKEN = '28dfeb41d35cc81d84b4664d7c23c49f';

/** `<span id="stock_1.600160"><a … class="keytip" data-code="1,600160">巨化股份</a></span><span id="quote_1.600160"></span>` */
export function stockKeytip(s: Stock): string {
  const id = `${s.market}.${s.code}`;
  return `<span id="stock_${id}"><a href="${QUOTE}${id}" class="keytip" data-code="${s.market},${s.code}">${s.name}</a></span><span id="quote_${id}"></span>`;
}

/** `<span web="1" href="…" class="em_stock_key_common" data-code="0,300343">联创股份</span>` */
export function stockCommon(s: Stock): string {
  return `<span web="1" href="${QUOTE}${s.market}.${s.code}" class="em_stock_key_common" data-code="${s.market},${s.code}">${s.name}</span>`;
}

export function boardKeytip(b: Board): string {
  const id = `90.${b.code}`;
  return `<span id="bk_${id}"><a href="${QUOTE}${id}" class="keytip" data-code="90,${b.code}">${b.name}</a></span><span id="bkquote_${id}"></span>`;
}

export function boardCommon(b: Board): string {
  return `<span web="1" href="${QUOTE}90.${b.code}" class="em_stock_key_common" data-code="90,${b.code}">${b.name}</span>`;
}

const HIDDEN_P = '<p style="display:none;height:1px;overflow:hidden;"><br /></p>';

/** The hidden paragraph plus the K-line chart embed block. */
export function chartEmbed(s: Stock): string {
  const id = `${s.market}.${s.code}`;
  const dc = `${s.code}|${s.market}|${s.chartType}`;
  const dc2 = `${s.code}|${s.market}|${s.chartType2}|`;
  return `${HIDDEN_P}<!-- EM_StockImg_Start --><p style="text-align:center;"><a href="${QUOTE}${id}" data-code="${dc}" data-code2="${dc2}" class="EmImageRemark" target="_blank"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=${id}&imageType=k&token=${TOKEN}&at=1" border="0" alt="K图 ${s.code}_0" data-code="K ${dc}" data-code2="K ${dc2}" style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p><!-- EM_StockImg_End -->`;
}

export function imageBlock(file: string, height: number, caption: string | null): string {
  const img = `<center><img src="https://dfscdn.dfcfw.com/download/${file}_w800h${height}.jpg" alt="Image" width="552" style="border:#d1d1d1 1px solid;padding:3px;margin:5px 0;" /></center>`;
  return caption ? `${img}<p style="text-align:center;">图片来源：${caption}</p>` : img;
}

/** `<span id="Info.3321"><a href="http://data.eastmoney.com/bbsj/" class="infokey">业绩</a></span>` */
export function infokey(n: number, word: string): string {
  return `<span id="Info.${n}"><a href="http://data.eastmoney.com/bbsj/" class="infokey">${word}</a></span>`;
}

/** `<p class="em_media">（文章来源：X）</p>`; `inner` may already contain markup. */
export function emMedia(inner: string): string {
  return `<p class="em_media">（文章来源：${inner}）</p>`;
}
