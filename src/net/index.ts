// Downloads with a size limit and a time limit (layer 2): voice notes and documents sent in chat.
export { DownloadError, type DownloadFailure, type DownloadOptions, downloadFile } from './download';
