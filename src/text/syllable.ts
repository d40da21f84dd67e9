/**
 * Is a folded syllable spelled like Vietnamese? Used to decide what is a typo: "sinnh", "chứg", "hộii" are not
 * syllables and get corrected; "chuoi" or "vang" are real words the corpus merely lacks, and are left alone.
 */
const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?';
const RHYMES = [
  'a', 'ai', 'ao', 'au', 'ay', 'an', 'ang', 'anh', 'ac', 'ach', 'am', 'ap', 'at',
  'e', 'eo', 'en', 'eng', 'em', 'ec', 'ep', 'et', 'eu',
  'i', 'ia', 'iu', 'in', 'inh', 'im', 'ic', 'ich', 'ip', 'it', 'iec', 'iem', 'ien', 'iep', 'iet', 'ieu', 'ieng',
  'o', 'oa', 'oe', 'oi', 'on', 'ong', 'om', 'oc', 'op', 'ot', 'oai', 'oay', 'oan', 'oang', 'oanh', 'oac', 'oach', 'oat',
  'oap', 'oam', 'oet', 'oen', 'oeo', 'oong', 'ooc', 'oo',
  'u', 'ua', 'ue', 'ui', 'uy', 'uu', 'un', 'ung', 'um', 'uc', 'up', 'ut', 'uan', 'uat', 'uang', 'uac', 'uya', 'uyen', 'uyet',
  'uynh', 'uych', 'uyu', 'uoi', 'uon', 'uong', 'uom', 'uoc', 'uop', 'uot', 'uou', 'uyt', 'uyn', 'uan', 'uau', 'uay', 'uen',
  'uenh', 'uech', 'uep', 'uet', 'ueu', 'uin', 'uinh', 'uit', 'uich', 'uom',
  'y', 'yen', 'yet', 'yeu', 'yem', 'ya',
];
const SYLLABLE = new RegExp(`^${ONSET}(?:${RHYMES.sort((a, b) => b.length - a.length).join('|')})$`);

export function isVietnameseSyllable(folded: string): boolean {
  return SYLLABLE.test(folded);
}
