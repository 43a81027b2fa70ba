import { api } from '@/api'
import { defineInbox } from './inbox'

export const useInbox = defineInbox(() => api)
