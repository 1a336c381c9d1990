; Paging: an identity map of the first 4 MiB shared by every task (kernel pages
; supervisor-only, user code pages U), and per task a page directory and a page table for
; its private region USER_BASE..USER_TOP, filled with zeroed frames on demand.

; alloc_frame: returns in r1 a zeroed 4 KiB frame
alloc_frame:
        ld      r1, [next_frame]
        mov     r0, r1
        add     r0, 4096
        st      [next_frame], r0
        mov     r2, r1
        mov     r3, 1024
        mov     r0, 0
alloc_zero:
        st      [r2], r0
        add     r2, 4
        sub     r3, 1
        jnz     alloc_zero
        ret

; paging_init: builds the shared low page table
paging_init:
        push    r4
        call    alloc_frame
        st      [low_pt], r1
        mov     r4, 0                   ; physical page address
paging_low:
        mov     r2, r4
        or      r2, PTE_P | PTE_W
        cmp     r4, user_code
        jb      paging_store
        cmp     r4, user_code_end
        jae     paging_store
        or      r2, PTE_U
paging_store:
        mov     r0, r4
        shr     r0, 10                  ; page number * 4
        add     r0, r1
        st      [r0], r2
        add     r4, 4096
        cmp     r4, 0x400000
        jb      paging_low
        pop     r4
        ret

; address_space: r4 = task; gives the task a page directory and a page table for its region
address_space:
        call    alloc_frame
        st      [r4+T_PD], r1
        mov     r5, r1
        ld      r0, [low_pt]
        or      r0, PTE_P | PTE_W | PTE_U
        st      [r5], r0
        call    alloc_frame
        st      [r4+T_PT], r1
        or      r1, PTE_P | PTE_W | PTE_U
        st      [r5 + (USER_BASE >> 20)], r1
        ret

; demand_zero: r1 = faulting address in the current task's region; maps a zeroed frame there
demand_zero:
        push    r4
        mov     r4, r1
        call    alloc_frame
        or      r1, PTE_P | PTE_W | PTE_U
        ld      r2, [current]
        ld      r2, [r2+T_PT]
        mov     r0, r4
        shr     r0, 12
        and     r0, 0x3ff
        shl     r0, 2
        add     r2, r0
        PLAT_SET_PTE r2, r1             ; the PTE: under a VMM this write is traced; paravirtualized, an mmu_update
        and     r4, 0xfffff000
        PLAT_INVLPG r4
        ld      r0, [page_faults]
        add     r0, 1
        st      [page_faults], r0
        pop     r4
        ret
