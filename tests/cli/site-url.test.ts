import { siteUrlOf } from '../../src/cli/serve-settings';

test('a site URL: absolute http(s), trailing slashes dropped; absent or empty means none', () => {
  expect(siteUrlOf('https://news.example.com/', '--site-url')).toBe('https://news.example.com');
  expect(siteUrlOf(' http://h:8080/base// ', '--site-url')).toBe('http://h:8080/base');
  expect(siteUrlOf(undefined, '--site-url')).toBeUndefined();
  expect(siteUrlOf('  ', 'NEWSGRAPH_SITE_URL')).toBeUndefined();
});

test.each([
  ['news.example.com', '--site-url: not an absolute URL (got "news.example.com")'],
  ['ftp://h/', '--site-url: must be an http or https URL (got "ftp://h/")'],
  ['https://h/?a=1', '--site-url: no query or fragment (got "https://h/?a=1")'],
  ['https://h/#top', '--site-url: no query or fragment (got "https://h/#top")'],
])('%s is refused, naming the flag', (raw, message) => {
  expect(() => siteUrlOf(raw, '--site-url')).toThrow(message);
});
